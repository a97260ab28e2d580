/// <reference lib="dom" />
/**
 * Titles and summaries carry inline LaTeX between dollar signs, some of it broken by the site, which
 * drops backslashes (`$bfAntLM$` for `$\bf AntLM$`, `$gamma$-MoD`). The panel renders what KaTeX
 * accepts as MathML (no fonts or stylesheet to serve) and shows the rest as readable text; the graph's
 * labels, drawn on a canvas, get the readable text.
 */
import katex from 'katex';

/** `$…$` on one line, not empty. */
const inlineMath = /\$([^$\n]+?)\$/g;

/** Font commands the site stripped the backslash from, glued to the word they styled. */
const strippedFont = /^(?:textbf|mathbf|boldsymbol|bf|textit|mathit|it|textrm|mathrm|rm|texttt|mathtt|tt|emph|mathcal|mathbb|mathsf|textsf)([A-Za-z][\w.-]*)$/;

const greek: Record<string, string> = {
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ε',
  varepsilon: 'ε',
  zeta: 'ζ',
  eta: 'η',
  theta: 'θ',
  iota: 'ι',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  nu: 'ν',
  xi: 'ξ',
  pi: 'π',
  rho: 'ρ',
  sigma: 'σ',
  tau: 'τ',
  upsilon: 'υ',
  phi: 'φ',
  varphi: 'φ',
  chi: 'χ',
  psi: 'ψ',
  omega: 'ω',
  Gamma: 'Γ',
  Delta: 'Δ',
  Theta: 'Θ',
  Lambda: 'Λ',
  Xi: 'Ξ',
  Pi: 'Π',
  Sigma: 'Σ',
  Phi: 'Φ',
  Psi: 'Ψ',
  Omega: 'Ω',
};

const symbols: Record<string, string> = {
  times: '×',
  cdot: '·',
  leq: '≤',
  le: '≤',
  geq: '≥',
  ge: '≥',
  neq: '≠',
  approx: '≈',
  sim: '∼',
  infty: '∞',
  pm: '±',
  to: '→',
  rightarrow: '→',
  leftarrow: '←',
  ell: 'ℓ',
  partial: '∂',
  nabla: '∇',
  sum: '∑',
  prod: '∏',
  in: '∈',
};

/** One math segment as KaTeX should see it: a bare Greek name gets its backslash back. */
function repaired(tex: string): string {
  const bare = tex.trim();
  return greek[bare] ? `\\${bare}` : tex;
}

/** One math segment as plain text: commands by their symbols, font commands by their argument, braces and markers gone. */
function mathAsText(tex: string): string {
  const font = strippedFont.exec(tex.trim());
  if (font) return font[1]!;
  const bare = tex.trim();
  if (greek[bare]) return greek[bare];
  return tex
    .replace(/\\(?:text|math)[a-z]*\s*\{([^{}]*)\}/g, '$1')
    .replace(/\\([A-Za-z]+)\s*/g, (_whole, name: string) => greek[name] ?? symbols[name] ?? '')
    .replace(/\\(.)/g, '$1')
    .replace(/[{}]/g, '')
    .replace(/\s+/g, ' ');
}

/** The text with every inline math segment as plain text: for canvas labels, titles of the page, and search. */
export function texToText(text: string): string {
  return text.replace(inlineMath, (_whole, tex: string) => mathAsText(tex));
}

/**
 * The text as DOM nodes: prose as text, each math segment rendered by KaTeX as MathML, or (when KaTeX
 * refuses it, or it is a stripped font command) as readable text, in bold for the bold commands.
 */
export function texNodes(text: string): Node[] {
  const nodes: Node[] = [];
  let last = 0;
  for (const match of text.matchAll(inlineMath)) {
    const index = match.index ?? 0;
    if (index > last) nodes.push(document.createTextNode(text.slice(last, index)));
    nodes.push(mathNode(match[1]!));
    last = index + match[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

function mathNode(tex: string): Node {
  const font = strippedFont.exec(tex.trim());
  if (font) {
    const styled = document.createElement(/^(?:textbf|mathbf|boldsymbol|bf)/.test(tex.trim()) ? 'strong' : 'span');
    styled.className = 'tex-text';
    styled.textContent = font[1]!;
    return styled;
  }
  try {
    const wrapper = document.createElement('span');
    wrapper.className = 'tex';
    // KaTeX escapes the text it is given, and MathML needs neither its fonts nor its stylesheet.
    wrapper.innerHTML = katex.renderToString(repaired(tex), { output: 'mathml', throwOnError: true, strict: 'ignore' });
    return wrapper;
  } catch {
    const plain = document.createElement('span');
    plain.className = 'tex-text';
    plain.textContent = mathAsText(tex);
    return plain;
  }
}
