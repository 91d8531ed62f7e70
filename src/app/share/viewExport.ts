/**
 * The current view as a picture: the timeline's canvas as PNG; the topology and the statechart,
 * which are SVG, as standalone SVG files with the page's styles for them inlined (a file opened
 * on its own has no stylesheet).
 */
import type { FileOut } from './files';

/** The CSS rules of the page that style elements inside `svg` (so the file looks as on screen). */
function stylesFor(svg: SVGSVGElement): string {
  const out: string[] = [];
  for (const sheet of Array.from(document.styleSheets)) {
    let rules: CSSRuleList;
    try {
      rules = sheet.cssRules;
    } catch {
      continue; // a cross-origin sheet cannot be read
    }
    for (const rule of Array.from(rules)) {
      if (!(rule instanceof CSSStyleRule)) continue;
      try {
        if (svg.matches(rule.selectorText) || svg.querySelector(rule.selectorText)) out.push(rule.cssText);
      } catch {
        // a selector this browser cannot match (a pseudo-element…): not needed in the file
      }
    }
  }
  // Custom properties the rules use, with their values here.
  const root = getComputedStyle(document.documentElement);
  const vars = Array.from(new Set(out.join('\n').match(/--[\w-]+/g) ?? []))
    .map((v) => `${v}: ${root.getPropertyValue(v)};`)
    .join(' ');
  return `svg { ${vars} background: ${root.getPropertyValue('--bg') || '#0b0f17'}; }\n${out.join('\n')}`;
}

/** An SVG of the page as a standalone file, or null when it is not on screen. */
export function svgFile(selector: string, name: string): FileOut | null {
  const svg = document.querySelector<SVGSVGElement>(selector);
  if (!svg) return null;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const box = svg.getBoundingClientRect();
  if (!copy.getAttribute('width')) copy.setAttribute('width', String(Math.round(box.width)));
  if (!copy.getAttribute('height')) copy.setAttribute('height', String(Math.round(box.height)));
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = stylesFor(svg);
  copy.insertBefore(style, copy.firstChild);
  return { name, type: 'image/svg+xml', text: new XMLSerializer().serializeToString(copy) };
}

/** The timeline's canvas as a PNG data URL, or null when it is not on screen. */
export function timelinePng(): string | null {
  const canvas = document.querySelector<HTMLCanvasElement>('[aria-label="Timeline canvas"] canvas');
  return canvas ? canvas.toDataURL('image/png') : null;
}
