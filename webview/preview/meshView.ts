// The 3D view of a mesh surface and its fields, rendered with vtk.js (WebGL2). It owns the vtk.js
// pipeline and turns a plain ViewSettings value into it, so the UI, the tests and the benchmark all
// drive the same object. Only OpenGL classes are imported, so WebGPU/volume code stays out of the bundle.
import '@kitware/vtk.js/Rendering/OpenGL/Profiles/Geometry';
import vtkOpenGLRenderWindow from '@kitware/vtk.js/Rendering/OpenGL/RenderWindow';
import vtkRenderWindow from '@kitware/vtk.js/Rendering/Core/RenderWindow';
import vtkRenderer from '@kitware/vtk.js/Rendering/Core/Renderer';
import vtkRenderWindowInteractor from '@kitware/vtk.js/Rendering/Core/RenderWindowInteractor';
import vtkInteractorStyleTrackballCamera from '@kitware/vtk.js/Interaction/Style/InteractorStyleTrackballCamera';
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper';
import vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import vtkPoints from '@kitware/vtk.js/Common/Core/Points';
import vtkCellArray from '@kitware/vtk.js/Common/Core/CellArray';
import vtkColorTransferFunction from '@kitware/vtk.js/Rendering/Core/ColorTransferFunction';
import vtkPlane from '@kitware/vtk.js/Common/DataModel/Plane';
import vtkCellPicker from '@kitware/vtk.js/Rendering/Core/CellPicker';
import vtkSphereSource from '@kitware/vtk.js/Filters/Sources/SphereSource';
import { difference, finiteRange, scalarize, componentLabel, type ComponentMode, type ErrorStats } from './fieldMath';
import { isPresetName, presetFor, type PresetName } from './colorMaps';
import { drawScalarBar, SCALAR_BAR_WIDTH, type ScalarBarSpec } from './scalarBar';

type Actor = ReturnType<typeof vtkActor.newInstance>;
type Mapper = ReturnType<typeof vtkMapper.newInstance>;
type PolyData = ReturnType<typeof vtkPolyData.newInstance>;
type Renderer = ReturnType<typeof vtkRenderer.newInstance>;
type ColorTF = ReturnType<typeof vtkColorTransferFunction.newInstance>;
type Vec3 = [number, number, number];

/** Magenta: in none of the colour map presets, so the marker stands out (and tests can count its pixels). */
export const MARKER_COLOR: Vec3 = [1, 0, 1];

/** The boundary surface as the host sends it: float xyz, triangles, and the volume node of each point. */
export interface SurfaceData {
  readonly points: Float32Array;
  readonly triangles: Uint32Array;
  readonly nodeMap: Uint32Array;
  readonly triangleCell: Uint32Array;
  readonly nodeIds?: Int32Array;
  readonly volumePoints: number;
  readonly cells: number;
}

export interface FieldArray {
  readonly name: string;
  readonly components: number;
  readonly values: Float32Array;
  readonly unit?: string;
  readonly association: 'point' | 'cell';
  readonly source: 'file' | 'prediction' | 'reference';
}

export type Representation = 'surface' | 'surfaceWithEdges' | 'wireframe' | 'points';
export type CompareMode = 'off' | 'sideBySide' | 'difference';

/** Everything the user can set; plain data so it survives `setState` and webview reloads. */
export interface ViewSettings {
  colorBy: string; // '' = solid colour
  component: ComponentMode;
  preset: PresetName;
  lockRange: boolean;
  range: [number, number];
  bands: number; // 0 = continuous
  representation: Representation;
  deformBy: string; // '' = undeformed
  deformScale: number;
  clip: { enabled: boolean; axis: 0 | 1 | 2; position: number; invert: boolean };
  parallel: boolean;
  compareWith: string; // reference array for the compare modes
  compare: CompareMode;
}

export const DEFAULT_SETTINGS: ViewSettings = {
  colorBy: '', component: 'magnitude', preset: 'Cool to Warm', lockRange: false, range: [0, 1], bands: 0, representation: 'surface',
  deformBy: '', deformScale: 1, clip: { enabled: false, axis: 0, position: 0.5, invert: false }, parallel: false, compareWith: '', compare: 'off',
};

/** Keeps only well-typed ViewSettings fields of an untrusted value (saved state, host messages). */
export function sanitizeSettings(x: unknown): Partial<ViewSettings> {
  if (typeof x !== 'object' || x === null) return {};
  const v = x as Record<string, unknown>;
  const out: Partial<ViewSettings> = {};
  const num = (a: unknown): a is number => typeof a === 'number' && Number.isFinite(a);
  if (typeof v.colorBy === 'string') out.colorBy = v.colorBy;
  if (v.component === 'magnitude' || v.component === 'vonMises' || (num(v.component) && Number.isInteger(v.component) && v.component >= 0)) out.component = v.component;
  if (isPresetName(v.preset)) out.preset = v.preset;
  if (typeof v.lockRange === 'boolean') out.lockRange = v.lockRange;
  if (Array.isArray(v.range) && v.range.length === 2 && num(v.range[0]) && num(v.range[1])) out.range = [v.range[0], v.range[1]];
  if (num(v.bands) && v.bands >= 0 && v.bands <= 256) out.bands = Math.round(v.bands);
  if (v.representation === 'surface' || v.representation === 'surfaceWithEdges' || v.representation === 'wireframe' || v.representation === 'points') out.representation = v.representation;
  if (typeof v.deformBy === 'string') out.deformBy = v.deformBy;
  if (num(v.deformScale)) out.deformScale = v.deformScale;
  const c = v.clip as Record<string, unknown> | undefined;
  if (c && typeof c === 'object' && typeof c.enabled === 'boolean' && (c.axis === 0 || c.axis === 1 || c.axis === 2) && num(c.position) && typeof c.invert === 'boolean') {
    out.clip = { enabled: c.enabled, axis: c.axis, position: Math.min(1, Math.max(0, c.position)), invert: c.invert };
  }
  if (typeof v.parallel === 'boolean') out.parallel = v.parallel;
  if (typeof v.compareWith === 'string') out.compareWith = v.compareWith;
  if (v.compare === 'off' || v.compare === 'sideBySide' || v.compare === 'difference') out.compare = v.compare;
  return out;
}

export interface CameraState {
  position: number[];
  focalPoint: number[];
  viewUp: number[];
  parallelScale: number;
}

export interface PickResult {
  /** Index of the picked point on the surface. */
  readonly surfacePoint: number;
  /** 0-based volume node index. */
  readonly node: number;
  /** The node's id in the file (Abaqus/gmsh number) when it has one, else the 0-based index. */
  readonly nodeId: number;
  readonly coords: Vec3;
  /** 0-based running cell index of the picked triangle; -1 for a node off the surface (no cell values then). */
  readonly cell: number;
  readonly values: { name: string; unit?: string; association: 'point' | 'cell'; values: number[] }[];
}

export interface ViewTheme {
  background: Vec3; // 0..1
  foreground: string; // CSS colour for labels
  surface: Vec3; // solid colour
  edges: Vec3;
  font: string;
}

export type AxisView = '+x' | '-x' | '+y' | '-y' | '+z' | '-z' | 'iso';

/** What colouring currently shows, for the legend, the UI and tests. */
export interface ColoringInfo {
  readonly title: string;
  readonly range: [number, number];
  readonly stats?: ErrorStats;
}

export class MeshView {
  private readonly renderWindow = vtkRenderWindow.newInstance();
  private readonly glWindow = vtkOpenGLRenderWindow.newInstance();
  private readonly renderer: Renderer = vtkRenderer.newInstance();
  private readonly interactor = vtkRenderWindowInteractor.newInstance();
  private readonly primary: { poly: PolyData; mapper: Mapper; actor: Actor; lut: ColorTF };
  private secondary?: { renderer: Renderer; poly: PolyData; mapper: Mapper; actor: Actor; lut: ColorTF };
  private readonly picker = vtkCellPicker.newInstance();
  /** The pick marker: a sphere in a colour no colour map uses (magenta), hidden until something is picked. */
  private readonly marker = { source: vtkSphereSource.newInstance({ thetaResolution: 16, phiResolution: 12 }), actor: vtkActor.newInstance() };
  /** Surface point of each volume node (-1 off the surface), built when a node is first looked up. */
  private surfaceOfNode?: Int32Array;
  private readonly overlay: HTMLCanvasElement;
  private surface?: SurfaceData;
  private basePoints: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private readonly fields = new Map<string, FieldArray>();
  private readonly rangeCache = new Map<string, [number, number]>();
  private settings: ViewSettings = structuredClone(DEFAULT_SETTINGS);
  private coloring?: ColoringInfo;
  private bar?: ScalarBarSpec;
  private frame = 0;
  private readonly resizeObserver: ResizeObserver;

  constructor(private readonly container: HTMLElement, public theme: ViewTheme) {
    this.renderWindow.addRenderer(this.renderer);
    this.renderWindow.addView(this.glWindow);
    this.glWindow.setContainer(container);
    this.interactor.setView(this.glWindow);
    this.interactor.initialize();
    // vtk.js's trackball style maps r/w/s key presses to camera reset and representation changes that
    // would bypass ViewSettings; the app's own keyboard handling (keydown) is the one in force.
    container.addEventListener('keypress', (e) => e.stopImmediatePropagation(), true);
    this.interactor.bindEvents(container);
    this.interactor.setInteractorStyle(vtkInteractorStyleTrackballCamera.newInstance());
    this.primary = this.makePipeline(vtkPolyData.newInstance());
    this.renderer.addActor(this.primary.actor);
    this.picker.setPickFromList(true);
    this.picker.addPickList(this.primary.actor);
    const markerMapper = vtkMapper.newInstance();
    markerMapper.setInputConnection(this.marker.source.getOutputPort());
    this.marker.actor.setMapper(markerMapper);
    this.marker.actor.getProperty().setColor(...MARKER_COLOR);
    this.marker.actor.getProperty().setAmbient(0.6);
    this.marker.actor.setVisibility(false);
    this.renderer.addActor(this.marker.actor);
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
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.resize();
  }

  private makePipeline(poly: PolyData) {
    const lut = vtkColorTransferFunction.newInstance();
    const mapper = vtkMapper.newInstance({ interpolateScalarsBeforeMapping: true, useLookupTableScalarRange: true, scalarVisibility: false });
    mapper.setLookupTable(lut);
    mapper.setInputData(poly);
    const actor = vtkActor.newInstance();
    actor.setMapper(mapper);
    return { poly, mapper, actor, lut };
  }

  /** The canvas vtk.js renders into (tests read its pixels through `capture`). */
  get canvas(): HTMLCanvasElement {
    return this.glWindow.getCanvas() as HTMLCanvasElement;
  }

  applyTheme(theme: ViewTheme): void {
    this.theme = theme;
    this.renderer.setBackground(...theme.background);
    this.secondary?.renderer.setBackground(...theme.background);
    this.applyRepresentation();
    if (this.bar) this.bar = { ...this.bar, foreground: theme.foreground, font: theme.font };
    this.drawOverlay();
    this.requestRender();
  }

  resize(): void {
    const r = this.container.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.floor(r.width * dpr)), h = Math.max(1, Math.floor(r.height * dpr));
    this.glWindow.setSize(w, h);
    this.overlay.width = w;
    this.overlay.height = h;
    this.drawOverlay();
    this.renderNow();
  }

  /** Replaces the geometry; fields of an earlier mesh are dropped unless `keepFields` (reload of the same file). */
  setSurface(surface: SurfaceData, keepFields = false): void {
    this.surface = surface;
    this.basePoints = surface.points;
    this.surfaceOfNode = undefined;
    this.setMarker(undefined);
    // On a reload of the same file keep the arrays (predictions) that still fit the new mesh.
    for (const [name, f] of this.fields) {
      const want = f.association === 'point' ? surface.volumePoints : surface.cells;
      if (!keepFields || f.values.length !== want * f.components) this.fields.delete(name);
    }
    this.rangeCache.clear();
    const poly = this.primary.poly;
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
    this.update();
    if (!keepFields) this.view('iso'); // a 3D impression first; axis views are one key away
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
    for (const k of [...this.rangeCache.keys()]) if (k.startsWith(`${field.name}\u0000`)) this.rangeCache.delete(k);
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
    this.applyRepresentation();
    this.applyClip();
    const cam = this.renderer.getActiveCamera();
    if (cam.getParallelProjection() !== this.settings.parallel) cam.setParallelProjection(this.settings.parallel);
    this.renderer.resetCameraClippingRange();
    this.drawOverlay();
    this.requestRender();
  }

  private applyGeometry(): void {
    const s = this.surface;
    if (!s) return;
    const pts = this.primary.poly.getPoints();
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
    this.primary.poly.modified();
  }

  /** Scalars of `field` (component per settings) on the surface: per surface point or per triangle. */
  private surfaceScalars(field: FieldArray): Float32Array {
    const s = this.surface!;
    const mode = this.validMode(field);
    return scalarize(field.values, field.components, mode, field.association === 'point' ? s.nodeMap : s.triangleCell);
  }

  private validMode(field: FieldArray): ComponentMode {
    const m = this.settings.component;
    if (field.components === 1) return 0;
    if (m === 'vonMises' && field.components !== 6) return 'magnitude';
    if (typeof m === 'number' && m >= field.components) return 'magnitude';
    return m;
  }

  private dataRange(field: FieldArray): [number, number] {
    const mode = this.validMode(field);
    const key = `${field.name}\u0000${String(mode)}`;
    let r = this.rangeCache.get(key);
    if (!r) {
      r = finiteRange(scalarize(field.values, field.components, mode));
      this.rangeCache.set(key, r);
    }
    return r;
  }

  private applyColoring(): void {
    const st = this.settings;
    const field = st.colorBy ? this.fields.get(st.colorBy) : undefined;
    const ref = st.compare !== 'off' && st.compareWith ? this.fields.get(st.compareWith) : undefined;
    const comparing = field !== undefined && ref !== undefined && ref.association === field.association && ref.components === field.components;
    this.setSideBySide(comparing && st.compare === 'sideBySide');
    if (!field || !this.surface) {
      this.primary.mapper.setScalarVisibility(false);
      this.coloring = undefined;
      this.bar = undefined;
      return;
    }
    const mode = this.validMode(field);
    const label = componentLabel(mode, field.components);
    let values = this.surfaceScalars(field);
    let title = `${field.name}${label ? ` ${label}` : ''}${field.unit ? ` [${field.unit}]` : ''}`;
    let range = this.dataRange(field);
    let stats: ErrorStats | undefined;
    if (comparing) {
      const refValues = this.surfaceScalars(ref);
      const all = difference(scalarize(field.values, field.components, mode), scalarize(ref.values, ref.components, mode));
      stats = all.stats;
      if (st.compare === 'difference') {
        values = difference(values, refValues).diff;
        const m = stats.maxAbs || 1e-12;
        range = [-m, m];
        title = `${field.name} − ${ref.name}${label ? ` ${label}` : ''}${field.unit ? ` [${field.unit}]` : ''}`;
      } else {
        const rr = this.dataRange(ref);
        range = [Math.min(range[0], rr[0]), Math.max(range[1], rr[1])];
        this.setScalars(this.secondary!.poly, this.secondary!.mapper, refValues, field.association);
      }
    }
    if (st.lockRange && st.range[1] > st.range[0]) range = [st.range[0], st.range[1]];
    this.setScalars(this.primary.poly, this.primary.mapper, values, field.association);
    const preset = presetFor(st.preset);
    for (const p of [this.primary, this.secondary]) {
      if (!p) continue;
      p.lut.applyColorMap(preset);
      p.lut.setMappingRange(range[0], range[1]);
      p.lut.set({ discretize: st.bands > 0, numberOfValues: Math.max(1, st.bands) }, true);
      p.lut.updateRange();
    }
    this.coloring = { title, range, ...(stats ? { stats } : {}) };
    this.bar = {
      title, range, bands: st.bands, foreground: this.theme.foreground, font: this.theme.font,
      colors: this.primary.lut.getUint8Table(range[0], range[1], 256, false) as unknown as Uint8Array,
    };
  }

  private setScalars(poly: PolyData, mapper: Mapper, values: Float32Array, association: 'point' | 'cell'): void {
    const arr = vtkDataArray.newInstance({ name: 'flare:scalars', values, numberOfComponents: 1 });
    // vtk.js clears the active scalars with null; its typings only admit an array.
    type SetScalars = (a: typeof arr | null) => boolean;
    (poly.getPointData().setScalars as SetScalars)(association === 'point' ? arr : null);
    (poly.getCellData().setScalars as SetScalars)(association === 'cell' ? arr : null);
    if (association === 'point') mapper.setScalarModeToUsePointData();
    else mapper.setScalarModeToUseCellData();
    mapper.setScalarVisibility(true);
    poly.modified();
  }

  /** Side-by-side compare: a second viewport with the reference, sharing the camera and geometry. */
  private setSideBySide(on: boolean): void {
    if (on && !this.secondary) {
      const poly = vtkPolyData.newInstance();
      poly.setPoints(this.primary.poly.getPoints());
      poly.setPolys(this.primary.poly.getPolys());
      const p = this.makePipeline(poly);
      const renderer = vtkRenderer.newInstance();
      renderer.setActiveCamera(this.renderer.getActiveCamera());
      renderer.setBackground(...this.theme.background);
      renderer.addActor(p.actor);
      this.renderWindow.addRenderer(renderer);
      this.secondary = { ...p, renderer };
    }
    if (!on && this.secondary) {
      this.renderWindow.removeRenderer(this.secondary.renderer);
      this.secondary = undefined;
    }
    this.renderer.setViewport(0, 0, on ? 0.5 : 1, 1);
    this.secondary?.renderer.setViewport(0.5, 0, 1, 1);
  }

  private applyRepresentation(): void {
    for (const p of [this.primary, this.secondary]) {
      if (!p) continue;
      const prop = p.actor.getProperty();
      const rep = this.settings.representation;
      if (rep === 'wireframe') prop.setRepresentationToWireframe();
      else if (rep === 'points') prop.setRepresentationToPoints();
      else prop.setRepresentationToSurface();
      prop.setEdgeVisibility(rep === 'surfaceWithEdges');
      prop.setEdgeColor(...this.theme.edges);
      prop.setPointSize(3);
      prop.setColor(...this.theme.surface);
      // Some ambient light keeps colours readable on faces seen at an angle (the map is the message).
      prop.setAmbient(0.3);
      prop.setDiffuse(0.7);
    }
  }

  private applyClip(): void {
    const c = this.settings.clip;
    for (const p of [this.primary, this.secondary]) {
      if (!p) continue;
      p.mapper.removeAllClippingPlanes();
      if (!c.enabled || !this.surface) continue;
      const b = this.bounds(this.basePoints);
      const origin: Vec3 = [(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2];
      origin[c.axis] = b[c.axis * 2] + c.position * (b[c.axis * 2 + 1] - b[c.axis * 2]);
      const normal: Vec3 = [0, 0, 0];
      normal[c.axis] = c.invert ? 1 : -1; // keeps the side below the plane unless inverted
      p.mapper.addClippingPlane(vtkPlane.newInstance({ origin, normal }));
    }
  }

  private bounds(points: Float32Array): number[] {
    const b = [Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < points.length; i += 3) {
      for (let k = 0; k < 3; k++) {
        const v = points[i + k];
        if (v < b[k * 2]) b[k * 2] = v;
        if (v > b[k * 2 + 1]) b[k * 2 + 1] = v;
      }
    }
    return b;
  }

  // --- camera -----------------------------------------------------------------------------------

  fit(): void {
    this.renderer.resetCamera();
    this.requestRender();
  }

  view(axis: AxisView): void {
    const cam = this.renderer.getActiveCamera();
    const f = cam.getFocalPoint();
    const dirs: Record<AxisView, [Vec3, Vec3]> = {
      '+x': [[1, 0, 0], [0, 0, 1]], '-x': [[-1, 0, 0], [0, 0, 1]], '+y': [[0, 1, 0], [0, 0, 1]], '-y': [[0, -1, 0], [0, 0, 1]],
      '+z': [[0, 0, 1], [0, 1, 0]], '-z': [[0, 0, -1], [0, 1, 0]], iso: [[-1, 1, -0.8], [0, 0, 1]],
    };
    // '+x' looks along +x (from the -x side), as ParaView's "set view direction to +X".
    const [d, up] = dirs[axis];
    cam.setFocalPoint(f[0], f[1], f[2]);
    cam.setPosition(f[0] - d[0], f[1] - d[1], f[2] - d[2]);
    cam.setViewUp(...up);
    this.fit();
  }

  orbit(azimuthDeg: number, elevationDeg: number): void {
    const cam = this.renderer.getActiveCamera();
    cam.azimuth(azimuthDeg);
    cam.elevation(elevationDeg);
    cam.orthogonalizeViewUp();
    this.renderer.resetCameraClippingRange();
    this.requestRender();
  }

  zoom(factor: number): void {
    this.renderer.getActiveCamera().zoom(factor);
    this.renderer.resetCameraClippingRange();
    this.requestRender();
  }

  /** Moves the camera sideways by a fraction of the view height. */
  pan(dx: number, dy: number): void {
    const cam = this.renderer.getActiveCamera();
    const p = cam.getPosition(), f = cam.getFocalPoint(), up = cam.getViewUp();
    const dop = [f[0] - p[0], f[1] - p[1], f[2] - p[2]];
    const dist = Math.hypot(dop[0], dop[1], dop[2]);
    const right = [dop[1] * up[2] - dop[2] * up[1], dop[2] * up[0] - dop[0] * up[2], dop[0] * up[1] - dop[1] * up[0]];
    const rl = Math.hypot(right[0], right[1], right[2]) || 1;
    const h = cam.getParallelProjection() ? cam.getParallelScale() * 2 : 2 * dist * Math.tan((cam.getViewAngle() * Math.PI) / 360);
    const m = [0, 1, 2].map((k) => (right[k] / rl) * dx * h + up[k] * dy * h);
    cam.setPosition(p[0] + m[0], p[1] + m[1], p[2] + m[2]);
    cam.setFocalPoint(f[0] + m[0], f[1] + m[1], f[2] + m[2]);
    this.requestRender();
  }

  getCamera(): CameraState {
    const c = this.renderer.getActiveCamera();
    return { position: [...c.getPosition()], focalPoint: [...c.getFocalPoint()], viewUp: [...c.getViewUp()], parallelScale: c.getParallelScale() };
  }

  setCamera(s: CameraState): void {
    const c = this.renderer.getActiveCamera();
    c.setPosition(s.position[0], s.position[1], s.position[2]);
    c.setFocalPoint(s.focalPoint[0], s.focalPoint[1], s.focalPoint[2]);
    c.setViewUp(s.viewUp[0], s.viewUp[1], s.viewUp[2]);
    c.setParallelScale(s.parallelScale);
    this.renderer.resetCameraClippingRange();
    this.requestRender();
  }

  /** Canvas pixel (CSS px from the top-left) where a world point appears, for tests and markers. */
  worldToCanvas(p: readonly number[]): [number, number] {
    const r = this.container.getBoundingClientRect();
    const vp = this.renderer.getViewport();
    const vw = r.width * (vp[2] - vp[0]), vh = r.height * (vp[3] - vp[1]);
    const n = this.renderer.worldToNormalizedDisplay(p[0], p[1], p[2], vw / vh);
    return [n[0] * vw + r.width * vp[0], r.height * (1 - n[1])];
  }

  // --- picking ----------------------------------------------------------------------------------

  /** Picks the surface point nearest to where the ray through (x, y) (CSS px in the container) hits. */
  pick(x: number, y: number): PickResult | undefined {
    const s = this.surface;
    if (!s) return undefined;
    const r = this.container.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.picker.pick([x * dpr, (r.height - y) * dpr, 0], this.renderer);
    const tri = this.picker.getCellId();
    if (tri < 0 || tri >= s.triangles.length / 3) return undefined;
    const hit = this.picker.getPickPosition();
    const pts = this.primary.poly.getPoints().getData() as Float32Array;
    let best = -1, bestD = Infinity;
    for (let k = 0; k < 3; k++) {
      const v = s.triangles[tri * 3 + k];
      const d = (pts[v * 3] - hit[0]) ** 2 + (pts[v * 3 + 1] - hit[1]) ** 2 + (pts[v * 3 + 2] - hit[2]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = v;
      }
    }
    return this.describe(best, s.triangleCell[tri]);
  }

  /** Node id, coordinates and every field value of surface point `sp` (cell fields: of `cell`). */
  describe(sp: number, cell: number): PickResult {
    const s = this.surface!;
    const node = s.nodeMap[sp];
    const values = [...this.fields.values()].map((f) => {
      const i = f.association === 'point' ? node : cell;
      return { name: f.name, ...(f.unit ? { unit: f.unit } : {}), association: f.association, values: Array.from(f.values.subarray(i * f.components, (i + 1) * f.components)) };
    });
    return { surfacePoint: sp, node, nodeId: s.nodeIds ? s.nodeIds[node] : node, coords: [this.basePoints[sp * 3], this.basePoints[sp * 3 + 1], this.basePoints[sp * 3 + 2]], cell, values };
  }

  /** Surface point of volume node `node`, or -1 when the node is not on the drawn surface. */
  surfacePointOf(node: number): number {
    const s = this.surface;
    if (!s || node < 0 || node >= s.volumePoints) return -1;
    if (!this.surfaceOfNode) {
      const m = new Int32Array(s.volumePoints).fill(-1);
      for (let i = 0; i < s.nodeMap.length; i++) if (m[s.nodeMap[i]] < 0) m[s.nodeMap[i]] = i;
      this.surfaceOfNode = m;
    }
    return this.surfaceOfNode[node];
  }

  /**
   * What `describe` gives for any volume node: on the surface, the same (with a cell that touches it);
   * off it (a node inside a solid), its point values at `coords` from the host, without cell values.
   */
  describeNode(node: number, coords?: readonly number[]): PickResult | undefined {
    const s = this.surface;
    if (!s || node < 0 || node >= s.volumePoints) return undefined;
    const sp = this.surfacePointOf(node);
    if (sp >= 0) {
      let cell = -1;
      for (let t = 0; t < s.triangles.length && cell < 0; t++) if (s.triangles[t] === sp) cell = s.triangleCell[Math.floor(t / 3)];
      return this.describe(sp, cell);
    }
    if (!coords) return undefined;
    const values = [...this.fields.values()].filter((f) => f.association === 'point')
      .map((f) => ({ name: f.name, ...(f.unit ? { unit: f.unit } : {}), association: f.association, values: Array.from(f.values.subarray(node * f.components, (node + 1) * f.components)) }));
    return { surfacePoint: -1, node, nodeId: s.nodeIds ? s.nodeIds[node] : node, coords: [coords[0], coords[1], coords[2]], cell: -1, values };
  }

  /** Shows the pick marker at a world point (undefined hides it); sized from the mesh bounds. */
  setMarker(at: readonly number[] | undefined): void {
    this.markerAt = at ? [at[0], at[1], at[2]] : undefined;
    this.marker.actor.setVisibility(at !== undefined);
    if (at) {
      const b = this.bounds(this.basePoints);
      const diag = Math.hypot(b[1] - b[0], b[3] - b[2], b[5] - b[4]) || 1;
      this.marker.source.setCenter(at[0], at[1], at[2]);
      this.marker.source.setRadius(diag * 0.012);
      this.renderer.resetCameraClippingRange();
    }
    this.requestRender();
  }

  /** Where the marker is (undefined when hidden), for the UI state and tests. */
  markerAt?: Vec3;

  /**
   * Brings a world point into view: it becomes the centre of the view, looked at along the outward
   * normal of the surface around surface point `sp` (when it has one), at the current distance.
   */
  focusOn(at: readonly number[], sp: number): void {
    const cam = this.renderer.getActiveCamera();
    const pos = cam.getPosition(), foc = cam.getFocalPoint();
    const back: Vec3 = [pos[0] - foc[0], pos[1] - foc[1], pos[2] - foc[2]];
    const dist = Math.hypot(...back) || 1;
    let dir: Vec3 = [back[0] / dist, back[1] / dist, back[2] / dist];
    const n = sp >= 0 ? this.normalAt(sp) : undefined;
    if (n) {
      // Outward: away from the mesh centre; for a flat mesh (no outside), stay on the camera's side.
      const b = this.bounds(this.basePoints);
      const out = [at[0] - (b[0] + b[1]) / 2, at[1] - (b[2] + b[3]) / 2, at[2] - (b[4] + b[5]) / 2];
      const size = Math.hypot(b[1] - b[0], b[3] - b[2], b[5] - b[4]) || 1;
      const d = n[0] * out[0] + n[1] * out[1] + n[2] * out[2];
      const sign = Math.abs(d) > 1e-3 * size ? Math.sign(d) : Math.sign(n[0] * dir[0] + n[1] * dir[1] + n[2] * dir[2]) || 1;
      dir = [sign * n[0], sign * n[1], sign * n[2]];
    }
    cam.setFocalPoint(at[0], at[1], at[2]);
    cam.setPosition(at[0] + dir[0] * dist, at[1] + dir[1] * dist, at[2] + dir[2] * dist);
    const up = cam.getViewUp();
    if (Math.abs(up[0] * dir[0] + up[1] * dir[1] + up[2] * dir[2]) > 0.99) cam.setViewUp(Math.abs(dir[2]) < 0.9 ? 0 : 1, 0, Math.abs(dir[2]) < 0.9 ? 1 : 0);
    cam.orthogonalizeViewUp();
    this.renderer.resetCameraClippingRange();
    this.requestRender();
  }

  /** Area-weighted normal of the surface triangles around surface point `sp` (undefined if degenerate). */
  private normalAt(sp: number): Vec3 | undefined {
    const s = this.surface!;
    const p = this.basePoints;
    const n: Vec3 = [0, 0, 0];
    for (let t = 0; t < s.triangles.length; t += 3) {
      const a = s.triangles[t], b = s.triangles[t + 1], c = s.triangles[t + 2];
      if (a !== sp && b !== sp && c !== sp) continue;
      const u = [p[b * 3] - p[a * 3], p[b * 3 + 1] - p[a * 3 + 1], p[b * 3 + 2] - p[a * 3 + 2]];
      const v = [p[c * 3] - p[a * 3], p[c * 3 + 1] - p[a * 3 + 1], p[c * 3 + 2] - p[a * 3 + 2]];
      n[0] += u[1] * v[2] - u[2] * v[1];
      n[1] += u[2] * v[0] - u[0] * v[2];
      n[2] += u[0] * v[1] - u[1] * v[0];
    }
    const len = Math.hypot(...n);
    return len > 0 ? [n[0] / len, n[1] / len, n[2] / len] : undefined;
  }

  // --- drawing ----------------------------------------------------------------------------------

  requestRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderNow();
    });
  }

  renderNow(): void {
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    this.renderWindow.render();
  }

  private drawOverlay(): void {
    const ctx = this.overlay.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    if (this.bar) this.drawBar(ctx, this.overlay.width, this.overlay.height, window.devicePixelRatio || 1);
  }

  private drawBar(ctx: CanvasRenderingContext2D, w: number, h: number, scale: number): void {
    if (!this.bar) return;
    const bw = SCALAR_BAR_WIDTH * scale;
    drawScalarBar(ctx, this.bar, w - bw - 8 * scale, h * 0.15, bw, h * 0.7, scale);
  }

  /** The view as a PNG data URL: the rendered frame with the legend composited on top. */
  capture(): string {
    const out = this.captureCanvas();
    return out.toDataURL('image/png');
  }

  /** The rendered frame plus legend in a 2D canvas (tests read pixels from it). */
  captureCanvas(): HTMLCanvasElement {
    this.renderNow();
    const src = this.canvas;
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = src.height;
    const ctx = out.getContext('2d')!;
    // Drawn in the same task as the render, so the WebGL drawing buffer is still valid.
    ctx.drawImage(src, 0, 0);
    this.drawBar(ctx, out.width, out.height, window.devicePixelRatio || 1);
    return out;
  }

  /** Renders `frames` frames while orbiting, waiting for the GPU each time; returns ms per frame. */
  timeOrbit(frames: number, degreesPerFrame = 3): number {
    const gl = this.canvas.getContext('webgl2');
    const px = new Uint8Array(4);
    const t0 = performance.now();
    for (let i = 0; i < frames; i++) {
      this.renderer.getActiveCamera().azimuth(degreesPerFrame);
      this.renderWindow.render();
      gl?.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px); // forces the frame to finish
    }
    return (performance.now() - t0) / frames;
  }

  dispose(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    this.interactor.unbindEvents();
    this.renderWindow.delete();
    this.glWindow.delete();
  }
}
