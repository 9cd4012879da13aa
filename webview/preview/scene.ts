// The vtk.js scene of the preview: render window, renderers (one, or two side by side), the surface
// pipelines, representation, clipping and the camera. Only OpenGL classes are imported, so
// WebGPU/volume code stays out of the bundle.
import '@kitware/vtk.js/Rendering/OpenGL/Profiles/Geometry';
import vtkOpenGLRenderWindow from '@kitware/vtk.js/Rendering/OpenGL/RenderWindow';
import vtkRenderWindow from '@kitware/vtk.js/Rendering/Core/RenderWindow';
import vtkRenderer from '@kitware/vtk.js/Rendering/Core/Renderer';
import vtkRenderWindowInteractor from '@kitware/vtk.js/Rendering/Core/RenderWindowInteractor';
import vtkInteractorStyleTrackballCamera from '@kitware/vtk.js/Interaction/Style/InteractorStyleTrackballCamera';
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper';
import vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
import vtkColorTransferFunction from '@kitware/vtk.js/Rendering/Core/ColorTransferFunction';
import vtkPlane from '@kitware/vtk.js/Common/DataModel/Plane';
import type { AxisView, CameraState, Representation, Vec3, ViewSettings, ViewTheme } from './viewTypes';

export type Actor = ReturnType<typeof vtkActor.newInstance>;
export type Mapper = ReturnType<typeof vtkMapper.newInstance>;
export type PolyData = ReturnType<typeof vtkPolyData.newInstance>;
export type Renderer = ReturnType<typeof vtkRenderer.newInstance>;
export type ColorTF = ReturnType<typeof vtkColorTransferFunction.newInstance>;

/** One surface drawn with its own colour lookup table. */
export interface Pipeline {
  readonly poly: PolyData;
  readonly mapper: Mapper;
  readonly actor: Actor;
  readonly lut: ColorTF;
}

/** [xmin, xmax, ymin, ymax, zmin, zmax] of xyz points. */
export function bounds(points: Float32Array): number[] {
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

function makePipeline(poly: PolyData): Pipeline {
  const lut = vtkColorTransferFunction.newInstance();
  const mapper = vtkMapper.newInstance({ interpolateScalarsBeforeMapping: true, useLookupTableScalarRange: true, scalarVisibility: false });
  mapper.setLookupTable(lut);
  mapper.setInputData(poly);
  const actor = vtkActor.newInstance();
  actor.setMapper(mapper);
  return { poly, mapper, actor, lut };
}

export class Scene {
  readonly renderWindow = vtkRenderWindow.newInstance();
  readonly glWindow = vtkOpenGLRenderWindow.newInstance();
  readonly renderer: Renderer = vtkRenderer.newInstance();
  private readonly interactor = vtkRenderWindowInteractor.newInstance();
  readonly primary: Pipeline;
  secondary?: Pipeline & { readonly renderer: Renderer };
  private frame = 0;

  constructor(private readonly container: HTMLElement) {
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
    this.primary = makePipeline(vtkPolyData.newInstance());
    this.renderer.addActor(this.primary.actor);
  }

  /** The canvas vtk.js renders into. */
  get canvas(): HTMLCanvasElement {
    return this.glWindow.getCanvas() as HTMLCanvasElement;
  }

  setBackground(background: Vec3): void {
    this.renderer.setBackground(...background);
    this.secondary?.renderer.setBackground(...background);
  }

  /** Side-by-side compare: a second viewport with the reference, sharing the camera and geometry. */
  setSideBySide(on: boolean, background: Vec3): void {
    if (on && !this.secondary) {
      const poly = vtkPolyData.newInstance();
      poly.setPoints(this.primary.poly.getPoints());
      poly.setPolys(this.primary.poly.getPolys());
      const p = makePipeline(poly);
      const renderer = vtkRenderer.newInstance();
      renderer.setActiveCamera(this.renderer.getActiveCamera());
      renderer.setBackground(...background);
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

  /** The pipelines drawn now (the primary, and the reference's when side by side). */
  pipelines(): Pipeline[] {
    return this.secondary ? [this.primary, this.secondary] : [this.primary];
  }

  applyRepresentation(rep: Representation, theme: ViewTheme): void {
    for (const p of this.pipelines()) {
      const prop = p.actor.getProperty();
      if (rep === 'wireframe') prop.setRepresentationToWireframe();
      else if (rep === 'points') prop.setRepresentationToPoints();
      else prop.setRepresentationToSurface();
      prop.setEdgeVisibility(rep === 'surfaceWithEdges');
      prop.setEdgeColor(...theme.edges);
      prop.setPointSize(3);
      prop.setColor(...theme.surface);
      // Some ambient light keeps colours readable on faces seen at an angle (the map is the message).
      prop.setAmbient(0.3);
      prop.setDiffuse(0.7);
    }
  }

  /** Clips at a plane across `b` (the undeformed bounds); undefined bounds: nothing to clip. */
  applyClip(c: ViewSettings['clip'], b: number[] | undefined): void {
    for (const p of this.pipelines()) {
      p.mapper.removeAllClippingPlanes();
      if (!c.enabled || !b) continue;
      const origin: Vec3 = [(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2];
      origin[c.axis] = b[c.axis * 2] + c.position * (b[c.axis * 2 + 1] - b[c.axis * 2]);
      const normal: Vec3 = [0, 0, 0];
      normal[c.axis] = c.invert ? 1 : -1; // keeps the side below the plane unless inverted
      p.mapper.addClippingPlane(vtkPlane.newInstance({ origin, normal }));
    }
  }

  setParallel(parallel: boolean): void {
    const cam = this.renderer.getActiveCamera();
    if (cam.getParallelProjection() !== parallel) cam.setParallelProjection(parallel);
    this.renderer.resetCameraClippingRange();
  }

  // --- camera -----------------------------------------------------------------------------------

  /**
   * Fits the part in the view whatever its shape: vtk.js fits the bounding sphere to the height, which
   * crops a wide part in a narrow pane (side by side, a narrow editor). Parallel views fit the part's
   * box as seen; perspective ones step back when the viewport is narrower than tall.
   */
  fit(): void {
    this.renderer.resetCamera();
    const size = this.glWindow.getSize();
    const vp = this.renderer.getViewport();
    const aspect = (size[0] * (vp[2] - vp[0])) / Math.max(1, size[1] * (vp[3] - vp[1]));
    const cam = this.renderer.getActiveCamera();
    const b = this.renderer.computeVisiblePropBounds();
    if (cam.getParallelProjection() && b.every(Number.isFinite)) {
      const p = cam.getPosition(), f = cam.getFocalPoint(), up = cam.getViewUp();
      const d = [f[0] - p[0], f[1] - p[1], f[2] - p[2]];
      const right = [d[1] * up[2] - d[2] * up[1], d[2] * up[0] - d[0] * up[2], d[0] * up[1] - d[1] * up[0]];
      const rl = Math.hypot(right[0], right[1], right[2]) || 1, ul = Math.hypot(up[0], up[1], up[2]) || 1;
      let halfW = 0, halfH = 0;
      for (const x of [b[0], b[1]]) for (const y of [b[2], b[3]]) for (const z of [b[4], b[5]]) {
        const q = [x - f[0], y - f[1], z - f[2]];
        halfW = Math.max(halfW, Math.abs(q[0] * right[0] + q[1] * right[1] + q[2] * right[2]) / rl);
        halfH = Math.max(halfH, Math.abs(q[0] * up[0] + q[1] * up[1] + q[2] * up[2]) / ul);
      }
      // Never tighter than vtk.js's own fit: only narrow panes change.
      if (halfW > 0 || halfH > 0) cam.setParallelScale(Math.max(cam.getParallelScale(), Math.max(halfH, halfW / aspect) * 1.08));
    } else if (aspect > 0 && aspect < 1) cam.dolly(aspect);
    this.renderer.resetCameraClippingRange();
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

  /**
   * Brings a world point into view: it becomes the centre of the view, looked at along the outward
   * normal `n` of the surface there (when it has one), at the current distance. `b`: the mesh bounds.
   */
  focusOn(at: readonly number[], n: Vec3 | undefined, b: number[]): void {
    const cam = this.renderer.getActiveCamera();
    const pos = cam.getPosition(), foc = cam.getFocalPoint();
    const back: Vec3 = [pos[0] - foc[0], pos[1] - foc[1], pos[2] - foc[2]];
    const dist = Math.hypot(...back) || 1;
    let dir: Vec3 = [back[0] / dist, back[1] / dist, back[2] / dist];
    if (n) {
      // Outward: away from the mesh centre; for a flat mesh (no outside), stay on the camera's side.
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
    this.interactor.unbindEvents();
    this.renderWindow.delete();
    this.glWindow.delete();
  }
}
