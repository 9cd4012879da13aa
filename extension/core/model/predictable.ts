// Can a model be asked about this file at all? A prediction needs a solver deck: supports
// (*BOUNDARY) and loads (*CLOAD / *DLOAD / *DSLOAD). A plain mesh (.vtu, .msh, .stl, …) has neither;
// this says what is missing and how to add it, for the CLI and the extension alike.
import type { Mesh } from '../mesh/types';

/** Extensions of decks that can carry loads and supports (CalculiX / Abaqus input). */
export const DECK_EXTENSIONS = ['inp'] as const;

export function isDeckFileName(name: string): boolean {
  return /\.inp$/i.test(name);
}

const HOW = 'Write a CalculiX/Abaqus deck (.inp) with the mesh, a *BOUNDARY on the supported nodes (e.g. "FIX, 1, 3" for a node set FIX), '
  + 'a load (*CLOAD on nodes, or *DLOAD with P1..P6 pressure on element faces) in a *STATIC step, and the material (*MATERIAL + *ELASTIC); '
  + 'gmsh and FreeCAD export the mesh as .inp to start from.';

/**
 * Undefined when `mesh` is a deck a model can run on (supports and loads present); otherwise one
 * sentence naming what is missing, followed by how to add it.
 */
export function missingForPrediction(mesh: Mesh, fileName: string): string | undefined {
  const base = fileName.replace(/^.*[\\/]/, '');
  const deck = mesh.deck;
  if (!deck) {
    return `${base} is a plain mesh without supports or loads: a prediction needs a solver deck. ${HOW}`;
  }
  const missing: string[] = [];
  if (deck.boundaries.length === 0) missing.push('supports (*BOUNDARY)');
  // Loads FLARE cannot represent (gravity, …) are loads all the same: the applicability check names them.
  const unsupportedLoads = (deck.unsupported ?? []).some((u) => u.kind === 'load');
  if (deck.loads.length === 0 && deck.faceLoads.length === 0 && !unsupportedLoads) missing.push('loads (*CLOAD or *DLOAD)');
  if (missing.length === 0) return undefined;
  return `${base} has no ${missing.join(' and no ')}: a prediction needs both. ${HOW}`;
}
