// The 3D view of a mesh surface and its fields, rendered with vtk.js (WebGL2). It turns a plain
// ViewSettings value into the scene (scene.ts), its colouring (coloring.ts) and picking (picking.ts),
// so the UI, the tests and the benchmark all drive the same object.
// Over 400 lines on purpose: what is left after the scene/colouring/picking split is the one
// object that owns the vtk.js pipeline and its state; splitting it further would pass that state around.
import vtkPoints from '@kitware/vtk.js/Common/Core/Points';
import vtkCellArray from '@kitware/vtk.js/Common/Core/CellArray';
import { drawScalarBar, SCALAR_BAR_WIDTH, type ScalarBarSpec } from './scalarBar';
import { Scene, bounds } from './scene';
import { Coloring, applyLookupTables, colorTable, setScalars, validMode } from './coloring';
import { formatNumber, scalarize, topSurfaceNodes } from './fieldMath';
import { Picking } from './picking';
import { drawTriad } from './triad';
import { sampleLine, type Profile } from './probe';
import { DEFAULT_SETTINGS, type AxisView, type CameraState, type ColoringInfo, type FieldArray, type PickResult, type SurfaceData, type Vec3, type ViewSettings, type ViewTheme } from './viewTypes';

export * from './viewTypes';

export class MeshView {
  private readonly scene: Scene;
  private readonly picking: Picking;
  private readonly colorer = new Coloring();
  private readonly overlay: HTMLCanvasElement;
  private surface?: SurfaceData;
  private basePoints: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private readonly fields = new Map<string, FieldArray>();
  private settings: ViewSettings = structuredClone(DEFAULT_SETTINGS);
  private coloring?: ColoringInfo;
  private bar?: ScalarBarSpec;
  /** Names over the two halves of a side-by-side compare. */
  private sideLabels?: [string, string];
  private readonly resizeObserver: ResizeObserver;

  constructor(private readonly container: HTMLElement, public theme: ViewTheme) {
    this.scene = new Scene(container);
    this.picking = new Picking({
      container,
      renderer: this.scene.renderer,
      surface: () => this.surface,
      fields: () => this.fields.values(),
      basePoints: () => this.basePoints,
      drawnPoints: () => this.scene.primary.poly.getPoints().getData() as Float32Array,
    }, this.scene.primary.actor);
    // Layout set here, not in CSS, so the canvases can never size their container (a resize loop).
    if (getComputedStyle(container).position === 'static') container.style.position = 'relative';
    container.style.overflow = 'hidden';
    this.canvas.style.cssText += ';position:absolute;left:0;top:0;width:100%;height:100%;display:block';
    this.overlay = document.createElement('canvas');
    this.overlay.className = 'scalar-bar';
    this.overlay.style.cssText = 'position:absolute;left:0;top:0;width:100%;height:100%;pointer-events:none';
    this.overlay.setAttribute('aria-hidden', 'true');
    container.append(this.overlay);
    this.applyTheme(theme);
    // The triad follows the camera (drags, keys, restores): redraw the overlay when it moves.
    this.scene.renderer.getActiveCamera().onModified(() => this.drawOverlay());
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.resize();
  }

  /** The canvas vtk.js renders into (tests read its pixels through `capture`). */
  get canvas(): HTMLCanvasElement {
    return this.scene.canvas;
  }

  applyTheme(theme: ViewTheme): void {
    this.theme = theme;
    this.scene.setBackground(theme.background);
    this.scene.applyRepresentation(this.settings.representation, theme);
    if (this.bar) this.bar = { ...this.bar, foreground: theme.foreground, font: theme.font };
    this.drawOverlay();
    this.requestRender();
  }

  resize(): void {
    const r = this.container.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.floor(r.width * dpr)), h = Math.max(1, Math.floor(r.height * dpr));
    this.scene.glWindow.setSize(w, h);
    this.overlay.width = w;
    this.overlay.height = h;
    this.drawOverlay();
    this.renderNow();
  }

  /** Replaces the geometry; fields of an earlier mesh are dropped unless `keepFields` (reload of the same file). */
  setSurface(surface: SurfaceData, keepFields = false): void {
    this.surface = surface;
    this.basePoints = surface.points;
    this.picking.reset();
    this.setMarker(undefined);
    // On a reload of the same file keep the arrays (predictions) that still fit the new mesh.
    for (const [name, f] of this.fields) {
      const want = f.association === 'point' ? surface.volumePoints : surface.cells;
      if (!keepFields || f.values.length !== want * f.components) this.fields.delete(name);
    }
    this.colorer.clearRanges();
    const poly = this.scene.primary.poly;
    const points = vtkPoints.newInstance();
    points.setData(new Float32Array(surface.points), 3);
    poly.setPoints(points);
    const nt = surface.triangles.length / 3;
    const cells = new Uint32Array(nt * 4);
    for (let t = 0; t < nt; t++) {
      cells[t * 4] = 3;
      cells[t * 4 + 1] = surface.triangles[t * 3];
      cells[t * 4 + 2] = surface.triangles[t * 3 + 1];
      cells[t * 4 + 3] = surface.triangles[t * 3 + 2];
    }
    poly.setPolys(vtkCellArray.newInstance({ values: cells }));
    poly.modified();
    // A plane mesh opens orthographic, looking down its normal; a solid in an isometric view.
    const normal = keepFields ? -1 : planeNormal(surface.points);
    if (!keepFields) this.settings.parallel = normal >= 0;
    this.update();
    if (!keepFields) this.view(normal >= 0 ? (['-x', '-y', '-z'] as const)[normal] : 'iso');
  }

  get hasSurface(): boolean {
    return this.surface !== undefined;
  }

  /** Adds or replaces a field. Returns an error message when its size does not fit the mesh. */
  setField(field: FieldArray): string | undefined {
    const s = this.surface;
    if (!s) return `field ${field.name} arrived before the mesh`;
    const tuples = field.values.length / field.components;
    const want = field.association === 'point' ? s.volumePoints : s.cells;
    if (tuples !== want) return `field ${field.name} has ${tuples} tuples, the mesh has ${want} ${field.association === 'point' ? 'nodes' : 'cells'}`;
    this.fields.set(field.name, field);
    this.colorer.clearRanges(field.name);
    this.update();
    return undefined;
  }

  fieldList(): readonly FieldArray[] {
    return [...this.fields.values()];
  }

  getSettings(): ViewSettings {
    return structuredClone(this.settings);
  }

  getColoring(): ColoringInfo | undefined {
    return this.coloring;
  }

  /** Applies new settings (partial) and re-renders. */
  set(next: Partial<ViewSettings>): void {
    this.settings = { ...this.settings, ...structuredClone(next) };
    this.update();
  }

  private update(): void {
    this.applyGeometry();
    this.applyColoring();
    this.scene.applyRepresentation(this.settings.representation, this.theme);
    this.scene.applyClip(this.settings.clip, this.surface ? bounds(this.basePoints) : undefined);
    this.scene.setParallel(this.settings.parallel);
    this.drawOverlay();
    this.requestRender();
  }

  private applyGeometry(): void {
    const s = this.surface;
    if (!s) return;
    const poly = this.scene.primary.poly;
    const pts = poly.getPoints();
    const out = pts.getData() as Float32Array;
    const disp = this.settings.deformBy ? this.fields.get(this.settings.deformBy) : undefined;
    if (disp && disp.association === 'point' && disp.components >= 2) {
      const k = this.settings.deformScale, c = disp.components, v = disp.values, base = this.basePoints, map = s.nodeMap;
      for (let i = 0; i < map.length; i++) {
        const o = map[i] * c;
        out[i * 3] = base[i * 3] + k * v[o];
        out[i * 3 + 1] = base[i * 3 + 1] + k * v[o + 1];
        out[i * 3 + 2] = base[i * 3 + 2] + (c >= 3 ? k * v[o + 2] : 0);
      }
    } else out.set(this.basePoints);
    pts.modified();
    poly.modified();
  }

  private applyColoring(): void {
    const st = this.settings;
    this.scene.setSideBySide(Coloring.comparing(st, this.fields) && st.compare === 'sideBySide', this.theme.background);
    const plan = this.colorer.plan(st, this.fields, this.surface);
    const { primary, secondary } = this.scene;
    if (!plan) {
      primary.mapper.setScalarVisibility(false);
      this.coloring = undefined;
      this.bar = undefined;
      this.sideLabels = undefined;
      return;
    }
    if (plan.reference && secondary) setScalars(secondary.poly, secondary.mapper, plan.reference, plan.field.association);
    setScalars(primary.poly, primary.mapper, plan.values, plan.field.association);
    applyLookupTables(this.scene.pipelines(), st, plan.range);
    const { title, range } = plan;
    this.sideLabels = plan.reference ? [plan.field.name, st.compareWith] : undefined;
    this.coloring = { title, range, ...(plan.stats ? { stats: plan.stats } : {}) };
    this.bar = { title, name: plan.name, subtitle: plan.subtitle, range, bands: st.bands, foreground: this.theme.foreground, font: this.theme.font, colors: colorTable(primary.lut, range) };
  }

  /** The hot-spot legend as the pane shows it (top left), for saved PNGs. */
  private drawHotSpots(ctx: CanvasRenderingContext2D, scale: number): void {
    const hot = this.hotSpots(5);
    if (!hot.length) return;
    const unit = this.fields.get(this.settings.colorBy)?.unit;
    const lines = hot.map((h, i) => `${i + 1}. node ${h.nodeId}   ${formatNumber(h.value)}${unit ? ` ${unit}` : ''}`);
    ctx.save();
    ctx.font = `${12 * scale}px ${this.theme.font}`;
    const w = Math.max(...lines.map((l) => ctx.measureText(l).width), ctx.measureText('Hot spots (surface)').width) + 16 * scale;
    const lh = 16 * scale;
    ctx.globalAlpha = 0.85;
    ctx.fillStyle = `rgb(${this.theme.background.map((v) => Math.round(v * 255)).join(',')})`;
    ctx.fillRect(8 * scale, 8 * scale, w, lh * (lines.length + 1) + 8 * scale);
    ctx.globalAlpha = 1;
    ctx.fillStyle = this.theme.foreground;
    ctx.textBaseline = 'top';
    ['Hot spots (surface)', ...lines].forEach((l, i) => ctx.fillText(l, 16 * scale, 12 * scale + i * lh));
    ctx.restore();
  }

  /** The `n` surface nodes with the highest values of the coloured point field (|value| if signed). */
  hotSpots(n = 5): { node: number; nodeId: number; value: number }[] {
    const st = this.settings, s = this.surface;
    const f = st.colorBy ? this.fields.get(st.colorBy) : undefined;
    if (!f || !s || f.association !== 'point') return [];
    const perNode = scalarize(f.values, f.components, validMode(f, st.component));
    return topSurfaceNodes(perNode, s.nodeMap, n).map((h) => ({ ...h, nodeId: s.nodeIds ? s.nodeIds[h.node] : h.node }));
  }

  /**
   * The coloured point field along the segment a → b (undeformed coordinates), `n` samples; undefined
   * without a point field. Samples off the part are NaN.
   */
  probeLine(a: readonly number[], b: readonly number[], n = 200): { profile: Profile; title: string } | undefined {
    const st = this.settings, s = this.surface;
    const f = st.colorBy ? this.fields.get(st.colorBy) : undefined;
    if (!f || !s || f.association !== 'point') return undefined;
    const perPoint = scalarize(f.values, f.components, validMode(f, st.component), s.nodeMap);
    // A point inside a triangle is within one edge of a corner: further than the longest edge (of
    // up to 5000 triangles) from every mesh point, the line is off the part.
    const p = this.basePoints, t = s.triangles;
    let edge = 0;
    for (let k = 0; k < Math.min(t.length, 15000); k += 3) {
      for (const [u, v] of [[t[k], t[k + 1]], [t[k + 1], t[k + 2]], [t[k + 2], t[k]]]) edge = Math.max(edge, Math.hypot(p[u * 3] - p[v * 3], p[u * 3 + 1] - p[v * 3 + 1], p[u * 3 + 2] - p[v * 3 + 2]));
    }
    return { profile: sampleLine(a, b, n, p, perPoint, edge || Infinity), title: this.coloring?.title ?? f.name };
  }

  // --- camera -----------------------------------------------------------------------------------

  fit(): void {
    this.scene.fit();
  }

  view(axis: AxisView): void {
    this.scene.view(axis);
  }

  orbit(azimuthDeg: number, elevationDeg: number): void {
    this.scene.orbit(azimuthDeg, elevationDeg);
  }

  zoom(factor: number): void {
    this.scene.zoom(factor);
  }

  /** Moves the camera sideways by a fraction of the view height. */
  pan(dx: number, dy: number): void {
    this.scene.pan(dx, dy);
  }

  getCamera(): CameraState {
    return this.scene.getCamera();
  }

  setCamera(s: CameraState): void {
    this.scene.setCamera(s);
  }

  /** Canvas pixel (CSS px from the top-left) where a world point appears, for tests and markers. */
  worldToCanvas(p: readonly number[]): [number, number] {
    return this.scene.worldToCanvas(p);
  }

  /**
   * Brings a world point into view: it becomes the centre of the view, looked at along the outward
   * normal of the surface around surface point `sp` (when it has one), at the current distance.
   */
  focusOn(at: readonly number[], sp: number): void {
    this.scene.focusOn(at, this.picking.normalAt(sp), bounds(this.basePoints));
  }

  // --- picking ----------------------------------------------------------------------------------

  /** Picks the surface point nearest to where the ray through (x, y) (CSS px in the container) hits. */
  pick(x: number, y: number): PickResult | undefined {
    return this.picking.pick(x, y);
  }

  /** Node id, coordinates and every field value of surface point `sp` (cell fields: of `cell`). */
  describe(sp: number, cell: number): PickResult {
    return this.picking.describe(sp, cell);
  }

  /** Surface point of volume node `node`, or -1 when the node is not on the drawn surface. */
  surfacePointOf(node: number): number {
    return this.picking.surfacePointOf(node);
  }

  /** See Picking.describeNode. */
  describeNode(node: number, coords?: readonly number[]): PickResult | undefined {
    return this.picking.describeNode(node, coords);
  }

  /** Shows the pick marker at a world point (undefined hides it); sized from the mesh bounds. */
  setMarker(at: readonly number[] | undefined): void {
    this.picking.setMarker(at);
    this.requestRender();
  }

  /** Where the marker is (undefined when hidden), for the UI state and tests. */
  get markerAt(): Vec3 | undefined {
    return this.picking.markerAt;
  }

  // --- drawing ----------------------------------------------------------------------------------

  requestRender(): void {
    this.scene.requestRender();
  }

  renderNow(): void {
    this.scene.renderNow();
  }

  private drawOverlay(): void {
    const ctx = this.overlay.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    this.drawDecorations(ctx, this.overlay.width, this.overlay.height, window.devicePixelRatio || 1);
    // The scalar bar's full title (name, component, unit) on its canvas, so UI tests can read it.
    this.overlay.dataset.title = this.bar?.title ?? '';
  }

  /** Scalar bar, triad and side-by-side labels, in a context of w × h pixels at `scale` pixels per CSS pixel. */
  private drawDecorations(ctx: CanvasRenderingContext2D, w: number, h: number, scale: number): void {
    if (this.bar) this.drawBar(ctx, w, h, scale);
    if (this.surface) drawTriad(ctx, this.scene.getCamera(), 46 * scale, h - 46 * scale, 28 * scale, scale, this.theme.font);
    if (this.sideLabels) {
      ctx.save();
      ctx.font = `600 ${12 * scale}px ${this.theme.font}`;
      ctx.fillStyle = this.theme.foreground;
      ctx.textBaseline = 'top';
      ctx.textAlign = 'center';
      ctx.fillText(this.sideLabels[0], w * 0.25, 8 * scale);
      ctx.fillText(this.sideLabels[1], w * 0.75, 8 * scale);
      ctx.fillRect(w / 2 - scale / 2, 0, scale, h);
      ctx.restore();
    }
  }

  private drawBar(ctx: CanvasRenderingContext2D, w: number, h: number, scale: number): void {
    if (!this.bar) return;
    const bw = SCALAR_BAR_WIDTH * scale;
    drawScalarBar(ctx, this.bar, w - bw - 8 * scale, h * 0.15, bw, h * 0.7, scale);
  }

  /** The view as a PNG data URL: the rendered frame with the legend composited on top. */
  capture(size?: ExportSize, withHotSpots = false): string {
    const out = this.captureCanvas(size, withHotSpots);
    return out.toDataURL('image/png');
  }

  /**
   * The rendered frame plus legend, triad and labels in a 2D canvas (tests read pixels from it), at
   * the view's size or `size`: a scale of it ('2x') or width × height in pixels ('1920x1080'). Text
   * and lines scale with the image, so a 4× export looks like the view, only sharper.
   */
  captureCanvas(size?: ExportSize, withHotSpots = false): HTMLCanvasElement {
    const src = this.canvas;
    const w0 = src.width, h0 = src.height;
    const [w, h] = exportPixels(size, w0, h0);
    if (w !== w0 || h !== h0) this.scene.glWindow.setSize(w, h);
    this.renderNow();
    const out = document.createElement('canvas');
    out.width = w;
    out.height = h;
    const ctx = out.getContext('2d')!;
    // Drawn in the same task as the render, so the WebGL drawing buffer is still valid.
    ctx.drawImage(src, 0, 0);
    const scale = (window.devicePixelRatio || 1) * Math.min(w / w0, h / h0);
    this.drawDecorations(ctx, w, h, scale);
    if (withHotSpots) this.drawHotSpots(ctx, scale);
    if (w !== w0 || h !== h0) {
      this.scene.glWindow.setSize(w0, h0);
      this.renderNow();
    }
    return out;
  }

  /** Renders `frames` frames while orbiting, waiting for the GPU each time; returns ms per frame. */
  timeOrbit(frames: number, degreesPerFrame = 3): number {
    return this.scene.timeOrbit(frames, degreesPerFrame);
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.scene.dispose();
  }
}

/** The axis (0, 1, 2) a flat mesh is normal to, or -1 for a solid (extent along every axis). */
export function planeNormal(points: Float32Array): number {
  const b = bounds(points);
  const ext = [b[1] - b[0], b[3] - b[2], b[5] - b[4]];
  const diag = Math.hypot(...ext);
  if (!(diag > 0)) return -1;
  const k = ext.indexOf(Math.min(...ext));
  return ext[k] <= 1e-6 * diag ? k : -1;
}

/** '2x' (a scale of the view) or '1920x1080' (pixels). */
export type ExportSize = string;

/** Pixel size of an export of a w0 × h0 view; the view's size for anything unparsable or beyond 8192 px. */
export function exportPixels(size: ExportSize | undefined, w0: number, h0: number): [number, number] {
  const scale = size ? /^(\d+(?:\.\d+)?)x$/.exec(size) : null;
  const dims = size ? /^(\d+)x(\d+)$/.exec(size) : null;
  let w = w0, h = h0;
  if (dims) [w, h] = [Number(dims[1]), Number(dims[2])];
  else if (scale) [w, h] = [Math.round(w0 * Number(scale[1])), Math.round(h0 * Number(scale[1]))];
  return w >= 1 && h >= 1 && w <= 8192 && h <= 8192 ? [w, h] : [w0, h0];
}
