// The preview's toolbar: VS Code-native controls (@vscode-elements/elements) in labelled groups.
// Builds the elements; PreviewApp wires them to the view and refreshes their values.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { PRESET_NAMES } from './colorMaps';
import { DEFAULT_SETTINGS } from './viewTypes';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, ...children: (Node | string)[]): HTMLElementTagNameMap[K];
export function el(tag: string, attrs?: Record<string, string>, ...children: (Node | string)[]): HTMLElement;
export function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

export function select(label: string, id: string): VscodeSingleSelect {
  const s = el('vscode-single-select', { id, 'aria-label': label, title: label }) as VscodeSingleSelect;
  return s;
}

export function setOptions(s: VscodeSingleSelect, options: [string, string][], value: string): void {
  const same = s.children.length === options.length && options.every(([v, l], i) => (s.children[i] as HTMLElement).getAttribute('value') === v && s.children[i].textContent === l);
  if (!same) s.replaceChildren(...options.map(([v, l]) => el('vscode-option', { value: v }, l)));
  const i = options.findIndex(([v]) => v === value);
  // Options are slotted asynchronously; set the value once the element has seen them.
  void s.updateComplete.then(() => {
    if (i >= 0 && s.value !== value) s.value = value;
  });
}

export interface Controls {
  colorBy: VscodeSingleSelect; component: VscodeSingleSelect; preset: VscodeSingleSelect; representation: VscodeSingleSelect; viewDir: VscodeSingleSelect;
  parallel: VscodeCheckbox; lock: VscodeCheckbox; min: VscodeTextfield; max: VscodeTextfield; bands: VscodeSingleSelect; deformBy: VscodeSingleSelect; scale: VscodeTextfield;
  clip: VscodeCheckbox; clipAxis: VscodeSingleSelect; clipPos: HTMLInputElement; clipInvert: VscodeCheckbox; compareWith: VscodeSingleSelect; compare: VscodeSingleSelect;
  fit: HTMLElement; screenshot: HTMLElement; exportSize: VscodeSingleSelect; probe: HTMLElement;
}

/** PNG export sizes: a scale of the view, or width × height in pixels. */
export const EXPORT_SIZES = ['1x', '2x', '4x', '1920x1080', '3840x2160'] as const;

/** Toolbar width (CSS px) below which secondary groups fold into "More…". */
export const COMPACT_WIDTH = 600;

/** The toolbar element and its controls. */
export function createToolbar(): { element: HTMLElement; controls: Controls } {
  const c: Controls = {
    colorBy: select('Colour by', 'color-by'), component: select('Component', 'component'), preset: select('Colour map preset', 'preset'),
    representation: select('Representation', 'representation'), viewDir: select('View direction', 'view-dir'),
    parallel: el('vscode-checkbox', { id: 'parallel', label: 'Parallel', title: 'Parallel (orthographic) projection (P)' }) as VscodeCheckbox,
    lock: el('vscode-checkbox', { id: 'lock-range', label: 'Lock range' }) as VscodeCheckbox,
    min: el('vscode-textfield', { id: 'range-min', 'aria-label': 'Range minimum', size: '8' }) as VscodeTextfield,
    max: el('vscode-textfield', { id: 'range-max', 'aria-label': 'Range maximum', size: '8' }) as VscodeTextfield,
    bands: select('Discrete colour bands', 'bands'), deformBy: select('Deform by', 'deform-by'),
    scale: el('vscode-textfield', { id: 'deform-scale', 'aria-label': 'Deformation scale factor', size: '6', value: '1' }) as VscodeTextfield,
    clip: el('vscode-checkbox', { id: 'clip', label: 'Clip' }) as VscodeCheckbox, clipAxis: select('Clip plane normal', 'clip-axis'),
    clipPos: el('input', { id: 'clip-pos', type: 'range', min: '0', max: '1', step: '0.01', value: '0.5', 'aria-label': 'Clip plane position' }),
    clipInvert: el('vscode-checkbox', { id: 'clip-invert', label: 'Invert' }) as VscodeCheckbox,
    compareWith: select('Compare with', 'compare-with'), compare: select('Compare mode', 'compare'),
    fit: el('vscode-button', { id: 'fit', secondary: '', title: 'Fit the mesh in the view (F)' }, 'Fit'),
    screenshot: el('vscode-button', { id: 'screenshot', title: 'Save a PNG of the view with its legend at the chosen size' }, 'Save PNG…'),
    exportSize: select('PNG size', 'export-size'),
    probe: el('vscode-button', { id: 'probe', secondary: '', title: 'Line probe: click two points on the part to plot the coloured field between them' }, 'Probe line'),
  };
  setOptions(c.preset, PRESET_NAMES.map((p) => [p, p]), DEFAULT_SETTINGS.preset);
  setOptions(c.representation, [['surface', 'Surface'], ['surfaceWithEdges', 'Surface With Edges'], ['wireframe', 'Wireframe'], ['points', 'Points']], 'surface');
  setOptions(c.viewDir, [['', 'View…'], ['+x', '+X'], ['-x', '−X'], ['+y', '+Y'], ['-y', '−Y'], ['+z', '+Z'], ['-z', '−Z'], ['iso', 'Isometric']], '');
  setOptions(c.bands, [['0', 'Continuous'], ...[4, 6, 8, 10, 12, 16, 24].map((n): [string, string] => [String(n), `${n} bands`])], '0');
  setOptions(c.clipAxis, [['0', 'X'], ['1', 'Y'], ['2', 'Z']], '0');
  setOptions(c.compare, [['off', 'No compare'], ['sideBySide', 'Side by side'], ['difference', 'Difference']], 'off');
  setOptions(c.exportSize, EXPORT_SIZES.map((x) => [x, x === '1x' ? 'View size' : x.endsWith('x') ? `${x.slice(0, -1)}×` : x.replace('x', ' × ')]), '2x');
  const group = (label: string, secondary: boolean, ...items: HTMLElement[]) => el('div', { class: secondary ? 'group secondary' : 'group', role: 'group', 'aria-label': label }, ...items);
  const more = el('vscode-button', { id: 'more', class: 'more', secondary: '', 'aria-expanded': 'false', title: 'More controls' }, 'More…');
  const element = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Preview controls' },
    group('Colouring', false, c.colorBy, c.component, c.preset, c.bands),
    group('Range', true, c.lock, c.min, c.max),
    group('Display', false, c.representation, c.viewDir, c.parallel, c.fit, c.probe),
    group('Deformation', true, el('label', { for: 'deform-by' }, 'Deform'), c.deformBy, el('label', { for: 'deform-scale' }, '×'), c.scale),
    group('Clipping', true, c.clip, c.clipAxis, c.clipPos, c.clipInvert),
    group('Compare', true, c.compareWith, c.compare),
    group('Export', true, c.exportSize, c.screenshot),
    more);
  // Below COMPACT_WIDTH the less used groups fold behind "More…" instead of crowding the view.
  more.addEventListener('click', () => {
    const open = element.classList.toggle('expanded');
    more.setAttribute('aria-expanded', String(open));
  });
  new ResizeObserver(() => element.classList.toggle('compact', element.getBoundingClientRect().width < COMPACT_WIDTH)).observe(element);
  return { element, controls: c };
}
