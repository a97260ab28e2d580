// Embedded Neo4j Community (5.26 LTS) for papergraph development and tests.
//
// Started by src/neo4j/embedded.ts (never by hand in normal use):
//   java -Xmx512m -cp <classes>:<neo4j jars> EmbeddedNeo4j --home <dir> --port <bolt port>
//        --plugins <dir with apoc-core + apoc-common> [--pagecache-mb 256] [--tx-timeout-ms 0]
//        [--password-file FILE] [--no-stdin-watch] [--train]
//
// --train starts, runs the start-up checks and shuts down again without printing READY: embedded.ts
// runs it once with -XX:ArchiveClassesAtExit to build a class-data-sharing archive for faster starts.
//
// Protocol with the parent process:
//   stdout: exactly one line, "READY bolt://127.0.0.1:<port>", once Bolt accepts connections
//           and APOC answered `RETURN apoc.version()`. Nothing else is ever written to stdout.
//   stderr: "INFO ..." lines while starting; on failure ONE line "ERROR <explanation>" and a
//           non-zero exit. Everything the libraries print is sent to <home>/logs/console.log.
//   exit:   SIGTERM / SIGINT, or EOF on stdin (the parent died or closed the pipe), shut the
//           DatabaseManagementService down cleanly and exit 0.
//
// Every setting below is a typed constant, not a string, so a renamed setting fails to compile
// instead of being silently ignored. Java constant -> setting name (names printed from the 5.26.30
// jars via Setting.name(), and matching the operations manual / GraphDatabaseSettings source):
//   BoltConnector.enabled                       server.bolt.enabled
//   BoltConnector.listen_address                server.bolt.listen_address
//   BoltConnector.advertised_address            server.bolt.advertised_address
//   BoltConnector.encryption_level              server.bolt.tls_level
//   BoltConnector.server_bolt_telemetry_enabled server.bolt.telemetry.enabled
//   HttpConnector.enabled / HttpsConnector.enabled   server.http.enabled / server.https.enabled
//   GraphDatabaseSettings.default_listen_address     server.default_listen_address
//   GraphDatabaseSettings.routing_enabled            dbms.routing.enabled (its connector would use :7688)
//   GraphDatabaseSettings.auth_enabled               dbms.security.auth_enabled
//   GraphDatabaseSettings.allow_file_urls            dbms.security.allow_csv_import_from_file_urls
//   GraphDatabaseSettings.pagecache_memory           server.memory.pagecache.size
//   GraphDatabaseSettings.udc_enabled                dbms.usage_report.enabled
//   GraphDatabaseSettings.plugin_dir                 server.directories.plugins
//   GraphDatabaseSettings.procedure_allowlist        dbms.security.procedures.allowlist
//   GraphDatabaseSettings.transaction_timeout        db.transaction.timeout
//   GraphDatabaseSettings.transaction_monitor_check_interval   db.transaction.monitor.check.interval
//   GraphDatabaseSettings.shutdown_transaction_end_timeout   db.shutdown_transaction_end_timeout
//   GraphDatabaseSettings.preallocate_logical_logs   db.tx_log.preallocate
//   GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period
//                                               internal.dbms.bolt.netty_server_shutdown_quiet_period
//
// APOC: procedures are only loaded from server.directories.plugins, but APOC's global components
// (apoc.ApocConfig etc.) are kernel extensions discovered with ServiceLoader on the application
// classpath, so the APOC jars are on the classpath too, exactly like `neo4j console` puts plugins/*
// on its classpath. The plugin class loader delegates parent-first: each class is loaded once.

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Result;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.impl.security.User;
import org.neo4j.logging.NullLogProvider;
import org.neo4j.logging.log4j.Log4jLogProvider;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.server.security.SecureHasher;
import org.neo4j.server.security.SystemGraphCredential;
import org.neo4j.server.security.auth.CommunitySecurityModule;
import org.neo4j.server.security.auth.FileUserRepository;

public final class EmbeddedNeo4j {
    private static final String HOST = "127.0.0.1";
    private static final String USER = "neo4j";
    /** The APOC functions/procedures loaded (dbms.security.procedures.allowlist). */
    static final String[] APOC_ALLOWLIST = {"apoc.version"};

    private static final Object LOCK = new Object();
    private static final CountDownLatch STOPPED = new CountDownLatch(1);
    private static volatile boolean stopping = false;
    private static DatabaseManagementService dbms; // guarded by LOCK
    private static Log4jLogProvider userLog; // guarded by LOCK

    private static PrintStream protocolOut;
    private static PrintStream protocolErr;
    private static PrintStream console;

    private EmbeddedNeo4j() {}

    public static void main(String[] args) {
        // Keep the real stdout/stderr for the protocol, and send whatever Neo4j, Netty, log4j etc.
        // might print to a file, so that stdout carries nothing but the READY line.
        protocolOut = new PrintStream(new NoCloseOutputStream(System.out), true, StandardCharsets.UTF_8);
        protocolErr = new PrintStream(new NoCloseOutputStream(System.err), true, StandardCharsets.UTF_8);

        Options opts;
        try {
            opts = Options.parse(args);
        } catch (IllegalArgumentException e) {
            fail("bad arguments: " + e.getMessage()
                    + " (usage: EmbeddedNeo4j --home DIR --port N --plugins DIR [--pagecache-mb N]"
                    + " [--tx-timeout-ms N] [--password-file FILE] [--no-stdin-watch] [--train])", 2);
            return;
        }

        Path home = opts.home.toAbsolutePath().normalize();
        Path logs = home.resolve("logs");
        try {
            Files.createDirectories(logs);
            if (!Files.isWritable(home)) {
                throw new IOException("not writable");
            }
            console = new PrintStream(new FileOutputStream(logs.resolve("console.log").toFile(), true), true,
                    StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            fail("data dir " + home + " is not usable: " + oneLine(e), 1);
            return;
        }
        System.setOut(console);
        System.setErr(console);

        Path plugins = opts.plugins.toAbsolutePath().normalize();
        if (!Files.isDirectory(plugins)) {
            fail("plugins dir " + plugins + " does not exist (it should hold the APOC Core jars)", 1);
            return;
        }

        // Fail fast (and with a clear message) on the two usual conflicts, instead of letting Neo4j
        // half-start, fail and spend ~10 s shutting its Bolt server down again.
        String conflict = precheckStoreLock(home);
        if (conflict == null) {
            conflict = precheckPort(opts.port);
        }
        if (conflict != null) {
            fail(conflict, 1);
            return;
        }

        String password = null;
        if (opts.passwordFile != null) {
            try {
                password = Files.readString(opts.passwordFile, StandardCharsets.UTF_8).trim();
                if (password.length() < 8) {
                    throw new IOException("the password in it is shorter than 8 characters");
                }
                writeInitialPassword(home, password);
            } catch (Exception e) {
                fail("cannot set up the Neo4j password from " + opts.passwordFile + ": " + oneLine(e), 1);
                return;
            }
        }

        installStopTriggers(opts.watchStdin);

        info("starting Neo4j in " + home + " (bolt " + HOST + ":" + opts.port + ", page cache "
                + opts.pageCacheMb + " MB, heap max " + (Runtime.getRuntime().maxMemory() >> 20) + " MB)");

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                // Bolt only, on the loopback interface only.
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, opts.port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, opts.port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(BoltConnector.server_bolt_telemetry_enabled, false)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                // No server-side routing connector (its default address is :7688).
                .setConfig(GraphDatabaseSettings.routing_enabled, false)
                // Authentication on: any local process can reach 127.0.0.1. The password of the one user,
                // neo4j, is the parent's password file (see writeInitialPassword / ensurePassword).
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // LOAD CSV must not read the server user's files (file:///etc/..., the password file).
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                // Memory: the heap is capped by the -Xmx the parent passes to java; the page cache
                // (off-heap) is capped here.
                .setConfig(GraphDatabaseSettings.pagecache_memory, opts.pageCacheMb * 1024L * 1024L)
                // No phoning home.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // APOC Core: in embedded mode, procedures are loaded from plugin_dir (not from the
                // classpath). papergraph calls no APOC procedure; only apoc.version() (the start-up
                // check below) is loaded, so apoc.cypher.runWrite, apoc.load.*, apoc.periodic.* etc. do
                // not exist. Built-in procedures (db.*, dbms.*) are not subject to the allowlist.
                .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .setConfig(GraphDatabaseSettings.procedure_allowlist, List.of(APOC_ALLOWLIST));
        // Fast shutdown (dev/test instance): Netty's graceful-shutdown quiet period defaults to 5 s per
        // event loop group (≈10 s in total for Bolt); transactions still running at shutdown get 3 s
        // instead of 10 s. Internal setting: a rename in a later 5.26.x fails compilation, not silently.
        builder.setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(3))
                // Don't fallocate 256 MiB transaction log files for each of `system` and `neo4j` up
                // front (≈515 MB per fresh data dir, e.g. every test run); they grow as needed.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Transaction timeouts are enforced by a monitor thread, 2 s apart by default: a request
                // timeout of a few hundred ms would overrun by up to 2 s. Checking every 100 ms makes the
                // per-request timeout (QUERY_TIMEOUT_MS) mean what it says, at the cost of a scan of the
                // (few) open transactions ten times a second.
                .setConfig(GraphDatabaseSettings.transaction_monitor_check_interval, Duration.ofMillis(100));
        if (opts.txTimeoutMs > 0) {
            builder.setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMillis(opts.txTimeoutMs));
        }

        // Never call exit() while holding LOCK: the shutdown hook needs it (deadlock otherwise).
        long buildStart = System.nanoTime();
        GraphDatabaseService db = null;
        Throwable startFailure = null;
        synchronized (LOCK) {
            if (!stopping) {
                try {
                    // The user log (what the server writes to neo4j.log) goes to a file as well; the
                    // debug log goes to <home>/logs/debug.log by Neo4j's default log4j configuration.
                    userLog = new Log4jLogProvider(new FileOutputStream(logs.resolve("neo4j.log").toFile(), true));
                    builder.setUserLogProvider(userLog);
                    dbms = builder.build();
                    db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
                } catch (Throwable t) {
                    dbms = null;
                    startFailure = t;
                }
            }
        }
        if (db == null) {
            if (startFailure == null || stopping) {
                awaitStopForever(); // a stop was requested during startup; the stop thread exits 0
                return;
            }
            startFailure.printStackTrace(console);
            console.flush();
            fail(explainStartFailure(startFailure, home, opts.port), 1);
            return;
        }

        long checksStart = System.nanoTime();
        String neo4jVersion;
        String apocVersion;
        try {
            if (!db.isAvailable(Duration.ofSeconds(60).toMillis())) {
                throw new IllegalStateException("the default database did not become available within 60 s");
            }
            neo4jVersion = "Neo4j " + org.neo4j.kernel.internal.Version.getNeo4jVersion() + " Community";
        } catch (Throwable t) {
            t.printStackTrace(console);
            failAfterStart("Neo4j started but the default database is not usable: " + oneLine(rootCause(t))
                    + " (see " + logs.resolve("debug.log") + ")");
            return;
        }
        if (password != null) {
            try {
                ensurePassword(home, password);
            } catch (Throwable t) {
                t.printStackTrace(console);
                failAfterStart("could not set the password of the Neo4j user " + USER + ": " + oneLine(rootCause(t)));
                return;
            }
        }
        try {
            apocVersion = db.executeTransactionally("RETURN apoc.version() AS v", Map.of(), EmbeddedNeo4j::single);
        } catch (Throwable t) {
            t.printStackTrace(console);
            failAfterStart("APOC Core is not available (looked for it in " + plugins + "): " + oneLine(rootCause(t)));
            return;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, opts.port), 5000);
        } catch (IOException e) {
            failAfterStart("Neo4j started but Bolt does not accept connections on " + HOST + ":" + opts.port
                    + ": " + oneLine(e));
            return;
        }
        if (stopping) {
            awaitStopForever();
            return;
        }
        if (opts.train) {
            // Class-data-sharing training run (see embedded.ts): everything a normal start loads has
            // been loaded now; shut down and let the JVM write its archive at exit.
            info("training run complete; shutting down");
            shutdownDbms();
            exit(0);
            return;
        }

        long now = System.nanoTime();
        info(String.format("%s, APOC %s ready (Neo4j start %.1f s, first queries %.1f s); logs in %s",
                neo4jVersion, apocVersion, (checksStart - buildStart) / 1e9, (now - checksStart) / 1e9, logs));
        protocolOut.println("READY bolt://" + HOST + ":" + opts.port);
        protocolOut.flush();
        awaitStopForever();
    }

    // ---------------------------------------------------------------------------------------------
    // Password

    /**
     * Writes data/dbms/auth.ini the way `neo4j-admin dbms set-initial-password` does. At start-up the
     * security component takes it when neo4j is the only user and still has the default password
     * "neo4j": a new store, or one made by an earlier papergraph with auth off. That happens before
     * Bolt opens, so there is no moment in which the default password is accepted.
     */
    private static void writeInitialPassword(Path home, String password) throws Exception {
        Config config = Config.newBuilder().set(GraphDatabaseSettings.neo4j_home, home).build();
        Path file = CommunitySecurityModule.getInitialUserRepositoryFile(config);
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        FileUserRepository repository = new FileUserRepository(new DefaultFileSystemAbstraction(), file,
                NullLogProvider.getInstance(), EmptyMemoryTracker.INSTANCE);
        repository.start();
        repository.create(new User(USER, null,
                SystemGraphCredential.createCredentialForPassword(password.getBytes(StandardCharsets.UTF_8),
                        new SecureHasher()), false, false));
        repository.shutdown();
    }

    /**
     * auth.ini is ignored once the password is no longer the default (the password file was
     * replaced, e.g. rotated because its permissions were too loose): set it through the system
     * database then. The embedded API runs with full access, whatever the current password.
     */
    private static void ensurePassword(Path home, String password) throws Exception {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        boolean exists = system.executeTransactionally("SHOW USERS YIELD user WHERE user = $user RETURN count(*) AS v",
                Map.of("user", USER), r -> ((Number) r.next().get("v")).longValue() > 0);
        if (!exists) {
            system.executeTransactionally("CREATE USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } else {
            try {
                system.executeTransactionally("ALTER USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                        Map.of("password", password));
            } catch (RuntimeException e) {
                // Neo4j refuses to "change" a password to the one it already is: nothing to do.
                if (!String.valueOf(rootCause(e).getMessage()).contains("cannot be the same")) {
                    throw e;
                }
            }
        }
        Config config = Config.newBuilder().set(GraphDatabaseSettings.neo4j_home, home).build();
        Files.deleteIfExists(CommunitySecurityModule.getInitialUserRepositoryFile(config));
    }

    // ---------------------------------------------------------------------------------------------
    // Stopping

    private static void installStopTriggers(boolean watchStdin) {
        // Our own TERM/INT handlers replace the JVM's, whose exit status would be 128+signal.
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> stopAsync("SIG" + sig.getName()));
            } catch (Throwable ignored) {
                // Signal not available on this platform: the shutdown hook below still covers it.
            }
        }
        // Safety net (System.exit from elsewhere, signals we could not handle): always close cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedNeo4j::shutdownDbms, "embedded-neo4j-shutdown-hook"));
        if (watchStdin) {
            Thread t = new Thread(() -> {
                InputStream in = System.in;
                byte[] buf = new byte[256];
                try {
                    while (in.read(buf) != -1) {
                        // The parent never writes; anything it does write is ignored.
                    }
                } catch (IOException ignored) {
                    // treated like EOF
                }
                stopAsync("stdin closed (parent process gone)");
            }, "embedded-neo4j-stdin-watch");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void stopAsync(String reason) {
        if (stopping) {
            return;
        }
        stopping = true;
        Thread t = new Thread(() -> {
            console.println("[EmbeddedNeo4j] stopping: " + reason);
            shutdownDbms();
            exit(0);
        }, "embedded-neo4j-stop");
        t.start();
    }

    private static void shutdownDbms() {
        stopping = true;
        synchronized (LOCK) {
            if (dbms != null) {
                try {
                    dbms.shutdown();
                } catch (Throwable t) {
                    t.printStackTrace(console);
                }
                dbms = null;
            }
            if (userLog != null) {
                try {
                    userLog.close();
                } catch (Throwable ignored) {
                    // best effort
                }
                userLog = null;
            }
        }
        STOPPED.countDown();
    }

    private static void awaitStopForever() {
        try {
            STOPPED.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The stop thread calls exit(0); nothing left to do on the main thread.
    }

    private static void failAfterStart(String message) {
        if (stopping) {
            // A stop was requested while we were starting: that explains the failure; exit 0 quietly.
            awaitStopForever();
            return;
        }
        shutdownDbms();
        fail(message, 1);
    }

    private static void fail(String message, int code) {
        protocolErr.println("ERROR " + message.replace('\n', ' ').replace('\r', ' '));
        protocolErr.flush();
        exit(code);
    }

    private static void exit(int code) {
        if (console != null) {
            console.flush();
        }
        System.exit(code);
    }

    private static void info(String message) {
        protocolErr.println("INFO " + message.replace('\n', ' '));
        protocolErr.flush();
    }

    // ---------------------------------------------------------------------------------------------
    // Pre-flight checks

    /** Returns an error message if another process holds the DBMS store lock of {@code home}. */
    static String precheckStoreLock(Path home) {
        Path lockFile = home.resolve("data").resolve("databases").resolve("store_lock");
        if (!Files.isRegularFile(lockFile)) {
            return null; // new store, nothing to check
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return "the store in " + home + " is locked by another process (" + lockFile
                        + "): is another embedded Neo4j / papergraph already using this data dir?";
            }
            lock.release();
            return null;
        } catch (OverlappingFileLockException | IOException e) {
            return null; // let Neo4j itself decide and report
        }
    }

    /** Returns an error message if something already listens on HOST:port. */
    static String precheckPort(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(HOST, port));
            return null;
        } catch (IOException e) {
            return "Bolt port " + port + " on " + HOST + " is already in use (another Neo4j or papergraph?): "
                    + oneLine(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Error explanations

    static String explainStartFailure(Throwable t, Path home, int port) {
        // Walk from the root cause outwards so the most specific message wins.
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = new HashSet<>();
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            chain.add(0, c);
        }
        for (Throwable c : chain) {
            String cls = c.getClass().getName();
            String msg = String.valueOf(c.getMessage());
            if (cls.endsWith("PortBindException") || c instanceof java.net.BindException
                    || msg.contains("already in use")) {
                return "Bolt port " + port + " on " + HOST + " is already in use (another Neo4j or papergraph?): "
                        + oneLine(c);
            }
            if (cls.endsWith("FileLockException") || msg.contains("store_lock") || msg.contains("database_lock")
                    || msg.contains("locked by another process")) {
                return "the store in " + home + " is locked by another process (is another embedded Neo4j using "
                        + "this data dir?): " + oneLine(c);
            }
            if (c instanceof java.nio.file.AccessDeniedException || c instanceof java.nio.file.NoSuchFileException
                    || c instanceof java.nio.file.NotDirectoryException
                    || c instanceof java.nio.file.FileSystemException) {
                return "data dir " + home + " is not usable: " + oneLine(c);
            }
        }
        return "Neo4j failed to start: " + oneLine(rootCause(t)) + " (see " + home.resolve("logs")
                + "/debug.log and console.log)";
    }

    private static Throwable rootCause(Throwable t) {
        Set<Throwable> seen = new HashSet<>();
        Throwable c = t;
        while (c.getCause() != null && seen.add(c)) {
            c = c.getCause();
        }
        return c;
    }

    private static String oneLine(Throwable t) {
        String msg = t.getMessage();
        String text = t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
        return text.replace('\n', ' ').replace('\r', ' ').trim();
    }

    private static String single(Result r) {
        return String.valueOf(r.next().get("v"));
    }

    // ---------------------------------------------------------------------------------------------

    /** Writes through to the wrapped stream but never closes it. */
    private static final class NoCloseOutputStream extends OutputStream {
        private final OutputStream inner;

        NoCloseOutputStream(OutputStream inner) {
            this.inner = inner;
        }

        @Override
        public void write(int b) throws IOException {
            inner.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            inner.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            inner.flush();
        }
    }

    static final class Options {
        Path home;
        Path plugins;
        Path passwordFile;
        int port = -1;
        long pageCacheMb = 256;
        long txTimeoutMs = 0;
        boolean watchStdin = true;
        boolean train = false;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--home" -> o.home = Path.of(value(args, ++i, a));
                    case "--plugins" -> o.plugins = Path.of(value(args, ++i, a));
                    case "--password-file" -> o.passwordFile = Path.of(value(args, ++i, a));
                    case "--port" -> o.port = (int) number(value(args, ++i, a), a, 1, 65535);
                    case "--pagecache-mb" -> o.pageCacheMb = number(value(args, ++i, a), a, 8, 1 << 20);
                    case "--tx-timeout-ms" -> o.txTimeoutMs = number(value(args, ++i, a), a, 0, Long.MAX_VALUE);
                    case "--no-stdin-watch" -> o.watchStdin = false;
                    case "--train" -> o.train = true;
                    default -> throw new IllegalArgumentException("unknown argument " + a);
                }
            }
            if (o.home == null) throw new IllegalArgumentException("--home is required");
            if (o.plugins == null) throw new IllegalArgumentException("--plugins is required");
            if (o.port < 0) throw new IllegalArgumentException("--port is required");
            return o;
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) throw new IllegalArgumentException(name + " needs a value");
            return args[i];
        }

        private static long number(String s, String name, long min, long max) {
            long v;
            try {
                v = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, got '" + s + "'");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + v);
            }
            return v;
        }
    }
}
