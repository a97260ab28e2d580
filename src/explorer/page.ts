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
    <p class="graph-status" role="status" data-testid="graph-status" hidden></p>
    <div class="hover-card" data-testid="hover-card" hidden></div>
    <div class="graph-tools">
      <button type="button" data-testid="fit-button" title="Fit the graph to the view">Fit</button>
      <button type="button" data-testid="undo-button" title="Undo the last expansion or hiding" disabled>Undo</button>
      <button type="button" data-testid="reset-button" title="Draw the map as first opened, without the expansions">Reset</button>
      <button type="button" data-testid="map-works-button" title="Papers the map cites most, and papers that cite most of it">Prior &amp; derivative</button>
      <details class="controls" data-testid="controls">
        <summary>Map</summary>
        <label>Size <select data-testid="size-by">
          <option value="citations">citations in this graph</option>
          <option value="openalex">citations in OpenAlex</option>
          <option value="influence" disabled>influence (needs analytics)</option>
        </select></label>
        <label>Colour <select data-testid="colour-by">
          <option value="kind">paper or author</option>
          <option value="year">year</option>
          <option value="community" disabled>community (needs analytics)</option>
        </select></label>
        <fieldset class="years"><legend>Years</legend>
          <input type="number" inputmode="numeric" data-testid="year-from" aria-label="From year" placeholder="from">
          <span aria-hidden="true">–</span>
          <input type="number" inputmode="numeric" data-testid="year-to" aria-label="To year" placeholder="to">
        </fieldset>
        <fieldset class="link-types"><legend>Links</legend>
          <label><input type="checkbox" data-testid="show-CITES" value="CITES" checked> cites</label>
          <label><input type="checkbox" data-testid="show-RELATED_TO" value="RELATED_TO" checked> related</label>
          <label><input type="checkbox" data-testid="show-AUTHORED" value="AUTHORED" checked> authored</label>
        </fieldset>
      </details>
    </div>
    <div class="legend" aria-label="Legend" data-testid="legend"></div>
  </section>
  <aside class="panel" aria-label="Details">
    <div class="error" role="alert" data-testid="error" hidden>
      <p data-testid="error-message"></p>
      <button type="button" data-testid="error-dismiss" aria-label="Dismiss">×</button>
    </div>
    <section class="path-panel" data-testid="path-panel" hidden></section>
    <section class="results" data-testid="search-results" hidden></section>
    <section class="map-works" data-testid="map-works" hidden></section>
    <section class="details" data-testid="details"></section>
  </aside>
</main>
<noscript><p class="noscript">The explorer needs JavaScript. The API itself is at <a href="/graphql">/graphql</a>.</p></noscript>
</body>
</html>
`;
}
