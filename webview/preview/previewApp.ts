// The preview's UI: VS Code-native controls (@vscode-elements/elements) around a MeshView, theme
// colours from VS Code's CSS variables, keyboard control of the 3D view, and the view state kept in
// the webview's setState so a reload (hidden tab, window reload) comes back as it was.
// Over 400 lines on purpose: it is the message switch and the control wiring of one page; the
// parts with their own logic (toolbar, banner, probe, theme) are already modules of their own.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { MeshView, DEFAULT_SETTINGS, validCamera, validPick, sanitizeSettings, type AxisView, type CameraState, type FieldArray, type PickResult, type SurfaceData, type ViewSettings } from './meshView';
import { componentLabel, componentModes, fieldChecksum, formatNumber, isIdArray, type ComponentMode } from './fieldMath';
import { PRESET_NAMES, isPresetName } from './colorMaps';
import { createToolbar, el, setOptions, type Controls } from './toolbar';
import { LineProbe } from './probeView';
import { pixelStats, readTheme } from './theme';
import { mountTrustBanner, type TrustBannerView } from './banner';

export { readTheme };

/** What survives reloads (webview setState). */
export interface PersistedState {
  readonly fileName: string;
  readonly settings: ViewSettings;
  readonly camera?: CameraState;
  /** The node in the pick panel (0-based volume index and where it is), if any. */
  readonly pick?: { readonly node: number; readonly coords: readonly number[] };
}

export interface AppHost {
  getState(): unknown;
  setState(s: PersistedState): void;
  saveImage(dataUrl: string, suggestedName: string): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

const KEY_HELP = 'Drag to orbit, right-drag or Shift+drag to pan, wheel to zoom. Keys: arrows orbit, Shift+arrows pan, + and − zoom, F fit, X Y Z axis views (Shift for the opposite side), I isometric, P perspective or parallel, click or Enter to pick.';

export class PreviewApp {
  readonly view: MeshView;
  private readonly stage: HTMLElement;
  private readonly status: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly pickPanel: HTMLElement;
  private readonly statsPanel: HTMLElement;
  private readonly hotPanel: HTMLElement;
  private readonly probe: LineProbe;
  private readonly banner: TrustBannerView;
  private readonly c: Controls;
  private fileName = '';
  private restored?: PersistedState;
  /** The saved selected node of a fresh page, shown once its load is done. */
  private pickToRestore?: unknown;
  private autoColored = false;
  /** The node shown in the pick panel (by click, Enter or a focus request from the host). */
  private lastPick?: { node: number; coords: [number, number, number] };
  private shownPick?: PickResult;
  /** Settles when the current load (first open or a reload after a change on disk) is drawn. */
  private load = deferred();
  private loadPending = true;
  get loaded(): Promise<void> {
    return this.load.promise;
  }
  private resolveLoaded(): void {
    this.loadPending = false;
    this.load.resolve();
  }
  /** ms from the webview's navigation start to the first frame with colours. */
  firstColoredFrameMs?: number;

  constructor(root: HTMLElement, private readonly host: AppHost) {
    const { element: toolbar, controls: c } = createToolbar();
    this.c = c;
    c.fit.addEventListener('click', () => this.view.fit());
    c.screenshot.addEventListener('click', () => this.host.saveImage(this.view.capture(c.exportSize.value, true), `${this.fileName.replace(/\.[^.]+$/, '')}.png`));
    this.stage = el('div', { class: 'stage', tabindex: '0', role: 'application', 'aria-label': `3D view. ${KEY_HELP}`, title: KEY_HELP });
    this.progress = el('vscode-progress-bar', { class: 'progress', 'aria-label': 'Loading' });
    this.status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.pickPanel = el('div', { class: 'pick', 'aria-live': 'polite', hidden: '' });
    this.statsPanel = el('div', { class: 'stats', hidden: '' });
    this.hotPanel = el('div', { class: 'hotspots', hidden: '' });
    this.stage.append(this.progress, this.status, this.pickPanel, this.statsPanel, this.hotPanel);
    root.replaceChildren(toolbar, this.stage);
    this.banner = mountTrustBanner(this.stage);
    this.view = new MeshView(this.stage, readTheme());
    this.probe = new LineProbe(this.view, this.stage, c.probe, (text, isError) => this.setStatus(text || this.fileName, isError));
    this.wire();
    new MutationObserver(() => this.view.applyTheme(readTheme())).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  private wire(): void {
    const c = this.c;
    const on = (e: HTMLElement, f: () => void) => e.addEventListener('change', f);
    on(c.colorBy, () => this.apply({ colorBy: c.colorBy.value }));
    on(c.component, () => this.apply({ component: parseMode(c.component.value) }));
    on(c.preset, () => isPresetName(c.preset.value) && this.apply({ preset: c.preset.value }));
    on(c.bands, () => this.apply({ bands: Number(c.bands.value) || 0 }));
    on(c.representation, () => this.apply({ representation: c.representation.value as ViewSettings['representation'] }));
    on(c.viewDir, () => {
      if (c.viewDir.value) this.view.view(c.viewDir.value as AxisView);
      this.persist();
    });
    on(c.parallel, () => this.apply({ parallel: c.parallel.checked }));
    const range = () => {
      const lo = Number(c.min.value), hi = Number(c.max.value);
      const ok = Number.isFinite(lo) && Number.isFinite(hi) && hi > lo;
      c.min.invalid = c.max.invalid = c.lock.checked && !ok;
      this.apply({ lockRange: c.lock.checked && ok, ...(ok ? { range: [lo, hi] as [number, number] } : {}) });
    };
    on(c.lock, range);
    on(c.min, range);
    on(c.max, range);
    on(c.deformBy, () => this.apply({ deformBy: c.deformBy.value }));
    on(c.scale, () => {
      const k = Number(c.scale.value);
      c.scale.invalid = !Number.isFinite(k);
      if (Number.isFinite(k)) this.apply({ deformScale: k });
    });
    const clip = () => this.apply({ clip: { enabled: c.clip.checked, axis: Number(c.clipAxis.value) as 0 | 1 | 2, position: Number(c.clipPos.value), invert: c.clipInvert.checked } });
    on(c.clip, clip);
    on(c.clipAxis, clip);
    on(c.clipInvert, clip);
    c.clipPos.addEventListener('input', clip);
    on(c.compareWith, () => this.apply({ compareWith: c.compareWith.value }));
    on(c.compare, () => this.apply({ compare: c.compare.value as ViewSettings['compare'] }));
    // A click that did not drag picks; drags belong to vtk.js's trackball interactor.
    let down: [number, number] | undefined;
    this.stage.addEventListener('pointerdown', (e) => (down = [e.clientX, e.clientY]));
    this.stage.addEventListener('pointerup', (e) => {
      if (down && Math.hypot(e.clientX - down[0], e.clientY - down[1]) < 4 && e.button === 0) {
        const r = this.stage.getBoundingClientRect();
        const p = this.view.pick(e.clientX - r.left, e.clientY - r.top);
        if (this.probe.active && p) this.probe.point(p.coords);
        else this.showPick(p);
      }
      down = undefined;
      this.persist();
    });
    this.stage.addEventListener('wheel', () => this.persistSoon(), { passive: true });
    this.stage.addEventListener('keydown', (e) => this.key(e));
  }

  private key(e: KeyboardEvent): void {
    // Ctrl+P (Quick Open), Ctrl+Z and the like belong to VS Code, not to the view's own keys.
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const step = 10, panStep = 0.05;
    const v = this.view;
    let handled = true;
    switch (e.key) {
      case 'ArrowLeft': if (e.shiftKey) v.pan(panStep, 0); else v.orbit(-step, 0); break;
      case 'ArrowRight': if (e.shiftKey) v.pan(-panStep, 0); else v.orbit(step, 0); break;
      case 'ArrowUp': if (e.shiftKey) v.pan(0, -panStep); else v.orbit(0, step); break;
      case 'ArrowDown': if (e.shiftKey) v.pan(0, panStep); else v.orbit(0, -step); break;
      case '+': case '=': v.zoom(1.2); break;
      case '-': case '_': v.zoom(1 / 1.2); break;
      case 'f': case 'F': case 'Home': v.fit(); break;
      case 'x': case 'X': v.view(e.shiftKey ? '-x' : '+x'); break;
      case 'y': case 'Y': v.view(e.shiftKey ? '-y' : '+y'); break;
      case 'z': case 'Z': v.view(e.shiftKey ? '-z' : '+z'); break;
      case 'i': case 'I': v.view('iso'); break;
      case 'p': case 'P': this.c.parallel.checked = !this.c.parallel.checked; this.apply({ parallel: this.c.parallel.checked }); break;
      case 'Enter': {
        const r = this.stage.getBoundingClientRect();
        this.showPick(v.pick(r.width / 2, r.height / 2));
        break;
      }
      default: handled = false;
    }
    if (handled) {
      e.preventDefault();
      this.persistSoon();
    }
  }

  private apply(next: Partial<ViewSettings>): void {
    this.view.set(next);
    this.refreshControls();
    this.refreshPick();
    this.persist();
  }

  private persistTimer = 0;
  private persistSoon(): void {
    clearTimeout(this.persistTimer);
    this.persistTimer = window.setTimeout(() => this.persist(), 300);
  }

  private persist(): void {
    if (!this.fileName || !this.view.hasSurface) return;
    this.host.setState({ fileName: this.fileName, settings: this.view.getSettings(), camera: this.view.getCamera(), ...(this.lastPick ? { pick: this.lastPick } : {}) });
  }

  // --- messages from the host ---------------------------------------------------------------------

  init(fileName: string, byteLength: number, format: string): void {
    // A reload starts a new load: captures wait for its fields too, not just the first load's.
    if (!this.loadPending) {
      this.load = deferred();
      this.loadPending = true;
    }
    this.fileName = fileName;
    const s = this.host.getState() as PersistedState | undefined;
    this.restored = s && typeof s === 'object' && s.fileName === fileName && s.settings ? s : undefined;
    this.setStatus(`${fileName} · ${format.toUpperCase()} · ${(byteLength / 1024).toFixed(1)} KiB`);
    this.progress.hidden = false;
  }

  progressUpdate(stage: string, fraction: number): void {
    if (stage === 'done') {
      this.progress.hidden = true;
      // The selected node comes back once every array is here (its values fill the pick panel).
      const pick = this.pickToRestore;
      this.pickToRestore = undefined;
      if (validPick(pick) && !this.lastPick) this.showPick(this.view.describeNode(pick.node, pick.coords));
      this.resolveLoaded();
      return;
    }
    this.progress.hidden = false;
    this.progress.setAttribute('aria-label', `${stage} ${Math.round(fraction * 100)}%`);
  }

  error(message: string): void {
    this.progress.hidden = true;
    this.setStatus(`Cannot show this file: ${message}`, true);
    this.resolveLoaded();
  }

  surface(s: SurfaceData & { parseMs: number }): void {
    const reload = this.view.hasSurface;
    // Node numbering may have changed with the file: the old pick no longer means anything.
    this.showPick(undefined);
    this.view.setSurface(s, reload);
    if (this.restored && !reload) {
      this.view.set({ ...DEFAULT_SETTINGS, ...sanitizeSettings(this.restored.settings) });
      if (validCamera(this.restored.camera)) this.view.setCamera(this.restored.camera);
      this.pickToRestore = this.restored.pick;
    }
    this.view.renderNow();
    this.setStatus(`${this.fileName} · ${s.volumePoints.toLocaleString('en-US')} nodes · ${s.cells.toLocaleString('en-US')} cells · surface ${s.nodeMap.length.toLocaleString('en-US')} points, ${(s.triangles.length / 3).toLocaleString('en-US')} triangles · parsed in ${s.parseMs.toFixed(0)} ms`);
    this.refreshControls();
  }

  field(f: FieldArray, show: boolean): void {
    const err = this.view.setField(f);
    if (err) {
      this.host.log('warn', err);
      return;
    }
    // Colour by the first point array unless the user (or a saved state) chose otherwise.
    const st = this.view.getSettings();
    // Arrays the host re-sends while a restored page loads (its prediction, say) must not undo the
    // view the user left: only a field shown after the load (a new prediction) takes the colouring.
    const resent = this.restored !== undefined && this.loadPending;
    if ((show && !resent) || (!this.autoColored && !this.restored && !st.colorBy && f.association === 'point' && !isIdArray(f.name))) {
      this.autoColored = true;
      this.view.set({ colorBy: f.name, component: f.components === 6 ? 'vonMises' : f.components > 1 ? 'magnitude' : 0 });
    }
    if (f.source === 'reference' && !st.compareWith) this.view.set({ compareWith: f.name });
    // Draw now only when this array is on screen; other arrays just join the menus (one frame later).
    const now = this.view.getSettings();
    if ([now.colorBy, now.deformBy, now.compare !== 'off' ? now.compareWith : ''].includes(f.name)) this.view.renderNow();
    else this.view.requestRender();
    if (this.firstColoredFrameMs === undefined && this.view.getColoring()) {
      this.firstColoredFrameMs = performance.now();
      this.host.log('info', `first coloured frame ${this.firstColoredFrameMs.toFixed(0)} ms after navigation start`);
    }
    this.refreshControls();
    this.refreshPick();
  }

  /** Settings from the host (commands, tests): applied like a user change, and persisted. */
  settings(json: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      this.host.log('warn', 'previewSettings: not JSON');
      return;
    }
    const s = sanitizeSettings(parsed);
    if (s.preset) this.c.preset.value = s.preset;
    const cam = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).camera : undefined;
    if (validCamera(cam)) this.view.setCamera(cam);
    this.apply(s);
  }

  // --- UI refresh ---------------------------------------------------------------------------------

  private refreshControls(): void {
    const c = this.c;
    const st = this.view.getSettings();
    const fields = this.view.fieldList();
    const label = (f: FieldArray) => `${f.name}${f.association === 'cell' ? ' (cell)' : ''}${f.source === 'prediction' ? ' ★' : ''}`;
    setOptions(c.colorBy, [['', 'Solid colour'], ...fields.map((f): [string, string] => [f.name, label(f)])], st.colorBy);
    const field = fields.find((f) => f.name === st.colorBy);
    const modes = field ? componentModes(field.components) : [0 as ComponentMode];
    setOptions(c.component, modes.map((m): [string, string] => [String(m), componentLabel(m, field?.components ?? 1) || 'Value']), String(modes.includes(st.component) ? st.component : modes[0]));
    c.component.disabled = !field || field.components === 1;
    setOptions(c.preset, PRESET_NAMES.map((p) => [p, p]), st.preset);
    setOptions(c.bands, [['0', 'Continuous'], ...[4, 6, 8, 10, 12, 16, 24].map((n): [string, string] => [String(n), `${n} bands`])], String(st.bands));
    setOptions(c.representation, [['surface', 'Surface'], ['surfaceWithEdges', 'Surface With Edges'], ['wireframe', 'Wireframe'], ['points', 'Points']], st.representation);
    const vectors = fields.filter((f) => f.association === 'point' && f.components >= 2 && f.components <= 3);
    setOptions(c.deformBy, [['', 'Undeformed'], ...vectors.map((f): [string, string] => [f.name, f.name])], st.deformBy);
    c.scale.disabled = !st.deformBy;
    const comparable = fields.filter((f) => field && f.name !== field.name && f.association === field.association && f.components === field.components);
    setOptions(c.compareWith, [['', 'Compare with…'], ...comparable.map((f): [string, string] => [f.name, label(f)])], st.compareWith);
    c.compare.disabled = !st.compareWith;
    setOptions(c.compare, [['off', 'No compare'], ['sideBySide', 'Side by side'], ['difference', 'Difference']], st.compare);
    c.parallel.checked = st.parallel;
    c.lock.checked = st.lockRange;
    const coloring = this.view.getColoring();
    if (!st.lockRange && coloring) {
      c.min.value = formatNumber(coloring.range[0]);
      c.max.value = formatNumber(coloring.range[1]);
    }
    c.min.disabled = c.max.disabled = !coloring;
    c.clip.checked = st.clip.enabled;
    setOptions(c.clipAxis, [['0', 'X'], ['1', 'Y'], ['2', 'Z']], String(st.clip.axis));
    c.clipPos.value = String(st.clip.position);
    c.clipInvert.checked = st.clip.invert;
    c.clipAxis.disabled = c.clipInvert.disabled = !st.clip.enabled;
    c.clipPos.disabled = !st.clip.enabled;
    this.renderHotSpots(field);
    const stats = coloring?.stats;
    this.statsPanel.hidden = !stats;
    if (stats) {
      const u = field?.unit ? ` ${field.unit}` : '';
      this.statsPanel.replaceChildren(el('table', {},
        ...[['Compared', `${st.colorBy} vs ${st.compareWith}`], ['Relative L2', `${(stats.relativeL2 * 100).toFixed(2)} %`], ['Max |error|', `${formatNumber(stats.maxAbs)}${u}`], ['99th pct |error|', `${formatNumber(stats.p99Abs)}${u}`], ['99th pct value off by', `${(stats.p99ValueRelError * 100).toFixed(2)} %`], ['Nodes compared', stats.count.toLocaleString('en-US')]]
          .map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v)))));
    }
  }

  /** Plots the coloured field from a to b in the profile panel (false when there is no point field). */
  probeLine(a: readonly number[], b: readonly number[]): boolean {
    return this.probe.plot(a, b);
  }

  /** The last line probe, for the capture state and tests. */
  get lastProfile(): LineProbe['last'] {
    return this.probe.last;
  }

  /** The hot-spot legend: the top surface nodes of the coloured field; a click flies to the node. */
  private renderHotSpots(field: FieldArray | undefined): void {
    const hot = this.view.hotSpots(5);
    this.hotPanel.hidden = hot.length === 0;
    if (!hot.length) return;
    const u = field?.unit ? ` ${field.unit}` : '';
    const rows = hot.map((h, i) => {
      const b = el('button', { class: 'hot', type: 'button', title: `Fly to node ${h.nodeId}` }, `${i + 1}. node ${h.nodeId}`);
      b.addEventListener('click', () => this.focusNode(h.node, h.nodeId));
      return el('tr', {}, el('th', { scope: 'row' }, b), el('td', {}, `${formatNumber(h.value)}${u}`));
    });
    this.hotPanel.replaceChildren(el('div', { class: 'caption' }, 'Hot spots (surface)'), el('table', {}, ...rows));
  }

  /**
   * Focus request from the host (a diagnostic's "Show node in preview"): the node is marked, its
   * values fill the pick panel, and the camera centres on it.
   */
  focusNode(node: number, nodeId?: number, coords?: readonly number[]): void {
    const p = this.view.describeNode(node, coords);
    if (!p) {
      this.host.log('warn', `focus: node ${nodeId ?? node} is not in this mesh (${this.fileName})`);
      return;
    }
    if (nodeId !== undefined && p.nodeId !== nodeId) this.host.log('warn', `focus: node index ${node} is node ${p.nodeId} here, not ${nodeId}; the file changed since the diagnostic`);
    this.showPick(p);
    this.view.focusOn(p.coords, p.surfacePoint);
    this.persist();
  }

  private showPick(p: PickResult | undefined): void {
    this.lastPick = p ? { node: p.node, coords: [...p.coords] } : undefined;
    this.view.setMarker(p?.coords);
    this.renderPick(p);
    this.persist();
  }

  private refreshPick(): void {
    // Values may have changed (a new prediction): redraw the panel for the same node.
    if (this.pickPanel.hidden || !this.lastPick) return;
    this.renderPick(this.view.describeNode(this.lastPick.node, this.lastPick.coords));
  }

  private renderPick(p: PickResult | undefined): void {
    this.shownPick = p;
    this.pickPanel.hidden = !p;
    if (!p) {
      this.view.setMarker(undefined);
      return;
    }
    const rows: [string, string][] = [['Node', String(p.nodeId)], ['X, Y, Z', p.coords.map(formatNumber).join(', ')]];
    for (const v of p.values) rows.push([`${v.name}${v.association === 'cell' ? ' (cell)' : ''}${v.unit ? ` [${v.unit}]` : ''}`, v.values.map(formatNumber).join(', ')]);
    if (p.surfacePoint < 0) rows.push(['', 'inside the mesh (not on the drawn surface)']);
    const close = el('vscode-button', { secondary: '', 'aria-label': 'Close pick info' }, '×');
    close.addEventListener('click', () => this.showPick(undefined));
    this.pickPanel.replaceChildren(close, el('table', {}, ...rows.map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v)))));
  }

  private setStatus(text: string, isError = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', isError);
  }

  /** For the capture request: the PNG and a summary of what is shown. */
  snapshot(): { dataUrl: string; state: string } {
    const coloring = this.view.getColoring();
    const canvas = this.view.captureCanvas();
    return {
      dataUrl: canvas.toDataURL('image/png'),
      state: JSON.stringify({
        fileName: this.fileName, settings: this.view.getSettings(), camera: this.view.getCamera(), background: this.view.theme.background, coloring, fields: this.view.fieldList().map((f) => ({ name: f.name, components: f.components, association: f.association, source: f.source, checksum: fieldChecksum(f.values) })),
        devicePixelRatio: window.devicePixelRatio || 1, hotSpots: this.hotPanel.hidden ? [] : this.view.hotSpots(5), firstColoredFrameMs: this.firstColoredFrameMs, pixels: pixelStats(canvas, this.view.theme.background), status: this.status.textContent, statusIsError: this.status.classList.contains('error'), banner: this.banner.state(),
        pick: this.shownPick ? { node: this.shownPick.node, nodeId: this.shownPick.nodeId, coords: this.shownPick.coords, onSurface: this.shownPick.surfacePoint >= 0, values: this.shownPick.values, marker: this.view.markerAt } : undefined,
      }),
    };
  }
}

function parseMode(v: string): ComponentMode {
  if (v === 'magnitude' || v === 'vonMises') return v;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : 'magnitude';
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
