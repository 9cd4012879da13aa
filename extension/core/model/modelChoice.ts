// Which built-in model a deck gets, and whether a deck is plane (2D) or solid (3D): decided here
// once, for the host, the CLI, the features and the solver comparison alike.
import { CELL_TYPES, type Mesh } from '../mesh/types';

export const BUILTIN_MODELS = ['bracket3d-elasticity', 'plate2d-elasticity'] as const;
export type BuiltinModel = (typeof BUILTIN_MODELS)[number];

export function isBuiltinModel(name: string): name is BuiltinModel {
  return (BUILTIN_MODELS as readonly string[]).includes(name);
}

/**
 * A plane deck has no volume elements (its plane elements are triangles/quads, possibly with beams
 * or springs beside them); any volume element makes it a solid deck.
 */
export function isPlaneDeck(mesh: Mesh): boolean {
  return !mesh.cells.some((c) => CELL_TYPES[c.type].dim === 3);
}

/** The built-in model for a deck when the setting says `auto` (or nothing): plane decks get the 2D model. */
export function autoModelFor(mesh: Mesh): BuiltinModel {
  return isPlaneDeck(mesh) ? 'plate2d-elasticity' : 'bracket3d-elasticity';
}

/** The model a setting names: `auto`/empty picks by the deck (the first built-in without one). */
export function modelNameFor(setting: string | undefined, mesh: Mesh | undefined): string {
  if (setting === undefined || setting === '' || setting === 'auto') return mesh ? autoModelFor(mesh) : BUILTIN_MODELS[0];
  return setting;
}
