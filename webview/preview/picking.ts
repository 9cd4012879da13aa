// Picking on the drawn surface: the node under a pixel, every field's value at a node (on the surface
// or inside a solid), the pick marker, and the surface normal the camera looks along to focus a node.
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper';
import vtkCellPicker from '@kitware/vtk.js/Rendering/Core/CellPicker';
import vtkSphereSource from '@kitware/vtk.js/Filters/Sources/SphereSource';
import { MARKER_COLOR, type FieldArray, type PickResult, type SurfaceData, type Vec3 } from './viewTypes';
import { bounds, type Actor, type Renderer } from './scene';

/** What picking reads from the view it belongs to. */
export interface PickSource {
  readonly container: HTMLElement;
  readonly renderer: Renderer;
  surface(): SurfaceData | undefined;
  fields(): Iterable<FieldArray>;
  /** Undeformed surface points (xyz). */
  basePoints(): Float32Array;
  /** Points as drawn now (deformed when a deformation is shown). */
  drawnPoints(): Float32Array;
}

export class Picking {
  private readonly picker = vtkCellPicker.newInstance();
  /** The pick marker: a sphere in a colour no colour map uses (magenta), hidden until something is picked. */
  private readonly marker = { source: vtkSphereSource.newInstance({ thetaResolution: 16, phiResolution: 12 }), actor: vtkActor.newInstance() };
  /** Surface point of each volume node (-1 off the surface), built when a node is first looked up. */
  private surfaceOfNode?: Int32Array;
  /** Where the marker is (undefined when hidden). */
  markerAt?: Vec3;

  constructor(private readonly src: PickSource, target: Actor) {
    this.picker.setPickFromList(true);
    this.picker.addPickList(target);
    const markerMapper = vtkMapper.newInstance();
    markerMapper.setInputConnection(this.marker.source.getOutputPort());
    this.marker.actor.setMapper(markerMapper);
    this.marker.actor.getProperty().setColor(...MARKER_COLOR);
    this.marker.actor.getProperty().setAmbient(0.6);
    this.marker.actor.setVisibility(false);
    src.renderer.addActor(this.marker.actor);
  }

  /** Forgets node lookups of an earlier mesh. */
  reset(): void {
    this.surfaceOfNode = undefined;
  }

  /** Picks the surface point nearest to where the ray through (x, y) (CSS px in the container) hits. */
  pick(x: number, y: number): PickResult | undefined {
    const s = this.src.surface();
    if (!s) return undefined;
    const r = this.src.container.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.picker.pick([x * dpr, (r.height - y) * dpr, 0], this.src.renderer);
    const tri = this.picker.getCellId();
    if (tri < 0 || tri >= s.triangles.length / 3) return undefined;
    const hit = this.picker.getPickPosition();
    const pts = this.src.drawnPoints();
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
    const s = this.src.surface()!;
    const base = this.src.basePoints();
    const node = s.nodeMap[sp];
    const values = [...this.src.fields()].map((f) => {
      const i = f.association === 'point' ? node : cell;
      return { name: f.name, ...(f.unit ? { unit: f.unit } : {}), association: f.association, values: Array.from(f.values.subarray(i * f.components, (i + 1) * f.components)) };
    });
    return { surfacePoint: sp, node, nodeId: s.nodeIds ? s.nodeIds[node] : node, coords: [base[sp * 3], base[sp * 3 + 1], base[sp * 3 + 2]], cell, values };
  }

  /** Surface point of volume node `node`, or -1 when the node is not on the drawn surface. */
  surfacePointOf(node: number): number {
    const s = this.src.surface();
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
    const s = this.src.surface();
    if (!s || node < 0 || node >= s.volumePoints) return undefined;
    const sp = this.surfacePointOf(node);
    if (sp >= 0) {
      let cell = -1;
      for (let t = 0; t < s.triangles.length && cell < 0; t++) if (s.triangles[t] === sp) cell = s.triangleCell[Math.floor(t / 3)];
      return this.describe(sp, cell);
    }
    if (!coords) return undefined;
    const values = [...this.src.fields()].filter((f) => f.association === 'point')
      .map((f) => ({ name: f.name, ...(f.unit ? { unit: f.unit } : {}), association: f.association, values: Array.from(f.values.subarray(node * f.components, (node + 1) * f.components)) }));
    return { surfacePoint: -1, node, nodeId: s.nodeIds ? s.nodeIds[node] : node, coords: [coords[0], coords[1], coords[2]], cell: -1, values };
  }

  /** Shows the pick marker at a world point (undefined hides it); sized from the mesh bounds. */
  setMarker(at: readonly number[] | undefined): void {
    this.markerAt = at ? [at[0], at[1], at[2]] : undefined;
    this.marker.actor.setVisibility(at !== undefined);
    if (at) {
      const b = bounds(this.src.basePoints());
      const diag = Math.hypot(b[1] - b[0], b[3] - b[2], b[5] - b[4]) || 1;
      this.marker.source.setCenter(at[0], at[1], at[2]);
      this.marker.source.setRadius(diag * 0.012);
      this.src.renderer.resetCameraClippingRange();
    }
  }

  /** Area-weighted normal of the surface triangles around surface point `sp` (undefined if degenerate or none). */
  normalAt(sp: number): Vec3 | undefined {
    const s = this.src.surface();
    if (!s || sp < 0) return undefined;
    const p = this.src.basePoints();
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
}
