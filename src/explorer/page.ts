/**
 * The explorer's HTML shell. The client bundle (client/app.ts) fills the panels and draws the graph;
 * `version` is the bundle's content hash, so the asset URLs change whenever the bundle does.
 */
export function explorerPage(version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>papergraph explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/explorer/app.css?v=${version}">
<script type="module" src="/explorer/app.js?v=${version}"></script>
</head>
<body data-busy="false">
<header class="top">
  <a class="brand" href="/">papergraph</a>
  <form class="search" role="search" data-testid="search-form">
    <input type="search" name="q" data-testid="search-input" placeholder="Search papers: English or 日本語" aria-label="Search papers" autocomplete="off" required>
    <button type="submit" data-testid="search-button">Search</button>
  </form>
  <nav class="tools">
    <button type="button" class="toggle" data-testid="path-mode-toggle" aria-pressed="false">Path between</button>
    <a href="/graphql">GraphiQL</a>
  </nav>
</header>
<main class="layout">
  <section class="graph-area" aria-label="Graph">
    <div class="graph" data-testid="graph"></div>
    <p class="visually-hidden" aria-live="polite" data-testid="graph-announcer"></p>
    <p class="graph-empty" data-testid="graph-empty">Search for a paper, then pick it to draw its neighbourhood.</p>
    <p class="graph-loading" data-testid="graph-loading" hidden><span class="spinner" aria-hidden="true"></span>Loading…</p>
    <div class="graph-tools">
      <button type="button" data-testid="fit-button" title="Fit the graph to the view">Fit</button>
    </div>
    <ul class="legend" aria-label="Legend">
      <li><span class="swatch paper"></span>Paper</li>
      <li><span class="swatch author"></span>Author</li>
      <li><span class="swatch related"></span>Related (width: score)</li>
      <li><span class="swatch authored"></span>Authored</li>
      <li><span class="swatch cites"></span>Cites</li>
    </ul>
  </section>
  <aside class="panel" aria-label="Details">
    <div class="error" role="alert" data-testid="error" hidden>
      <p data-testid="error-message"></p>
      <button type="button" data-testid="error-dismiss" aria-label="Dismiss">×</button>
    </div>
    <section class="path-panel" data-testid="path-panel" hidden></section>
    <section class="results" data-testid="search-results" hidden></section>
    <section class="details" data-testid="details"></section>
  </aside>
</main>
<noscript><p class="noscript">The explorer needs JavaScript. The API itself is at <a href="/graphql">/graphql</a>.</p></noscript>
</body>
</html>
`;
}
