// What the reader collects while it walks a deck (and its includes and part bodies), before
// readInp resolves ids and set names into the mesh.
import type { CellCollector, ReadContext } from '../../build';
import { F64Builder, I32Builder } from '../../builders';
import type { Scanner } from '../../scanner';
import type { CellType, DeckItem, ElementTypeUse, Section, SourceLocation } from '../../types';
import type { Keyword, Ref } from './syntax';

// Raw deck data: references (node|set, element|elset) are resolved once everything is read.
export interface RawBc { ref: Ref; first: number; last: number; value: number; source: SourceLocation }

export interface RawLoad { ref: Ref; dof: number; value: number; source: SourceLocation }

export interface RawFaceLoad { ref: Ref; face: string; value: number; source: SourceLocation }

export interface RawSurface { name: string; entries: { ref: Ref; face: number; source: SourceLocation }[]; type: string; source: SourceLocation }

export interface RawDsload { surface: string; value: number; source: SourceLocation }

export interface PartRange { name: string; buf: Uint8Array; file: string; start: number; end: number; line: number; endLine: number }

/** An Abaqus instance: ids offset so instances of one part do not collide; `move` maps part to assembly coordinates. */
export interface InstanceScope { name: string; part: string; nodeOffset: number; elementOffset: number; move?: (p: [number, number, number]) => [number, number, number]; source: SourceLocation; maxNode: number; maxElement: number }

export interface SetParts { name: string; ids: I32Builder; refs: { name: string; line: number; file: string }[]; line: number; file: string }

export class InpState {
  readonly pointIds = new I32Builder(4096);
  readonly coords = new F64Builder(4096 * 3);
  readonly pointLines = new I32Builder(4096);
  readonly fileRuns: number[] = []; // pairs (first point index, file index)
  readonly files: string[] = [];
  readonly blocks = new Map<CellType, CellCollector>();
  readonly cellRuns = new Map<CellType, number[]>(); // pairs (first cell index, file index); none = all file 0
  readonly nsets = new Map<string, SetParts>(); // key: upper-case name
  readonly elsets = new Map<string, SetParts>();
  readonly materials: { name: string; E?: number; nu?: number; rho?: number; source: SourceLocation }[] = [];
  readonly sections: Section[] = [];
  readonly bcs: RawBc[] = [];
  readonly loads: RawLoad[] = [];
  readonly faceLoads: RawFaceLoad[] = [];
  readonly steps: { name: string; procedure: string; source: SourceLocation; procedureSource?: SourceLocation; nlgeom?: boolean }[] = [];
  readonly surfaces = new Map<string, RawSurface>(); // key: upper-case name
  readonly dsloads: RawDsload[] = [];
  readonly unsupported: DeckItem[] = [];
  readonly elementTypes: ElementTypeUse[] = [];
  /** Part bodies by upper-case name, read when an *INSTANCE places them. */
  readonly parts = new Map<string, PartRange>();
  readonly instances = new Map<string, InstanceScope>(); // key: upper-case name
  /** The *INSTANCE being read: its names are prefixed, ids offset, coordinates moved. */
  scope: InstanceScope | undefined;
  /** Some file has an *INSTANCE (else *PART bodies are read where they stand). */
  hasInstances = false;
  maxNodeId = 0;
  maxElementId = 0;
  isDeck = false;
  depth = 0;
  constructor(readonly ctx: ReadContext) {}
}

export function getSet(map: Map<string, SetParts>, name: string, line: number, file: string): SetParts {
  const k = name.toUpperCase();
  let s = map.get(k);
  if (!s) map.set(k, (s = { name, ids: new I32Builder(64), refs: [], line, file }));
  return s;
}

/** A name as the deck sees it: inside an instance, prefixed with the instance name (I.set). */
export function scoped(st: InpState, name: string): string {
  return st.scope && name ? `${st.scope.name}.${name}` : name;
}

/** Per keyword block: the file it is in, the open *MATERIAL / *STEP, and how to read nested input. */
export interface Block {
  readonly fileIdx: number;
  material: InpState['materials'][number] | undefined;
  step: InpState['steps'][number] | undefined;
  /** Reads an *INCLUDE'd file in place. */
  readonly readFile: (bytes: Uint8Array, path: string) => void;
  /** Reads a part body (a range of an already read file) with the current instance scope. */
  readonly readBlock: (sc: Scanner, fileIdx: number) => void;
}

/** Reads one keyword's data lines (the keyword line itself is already read). */
export type Handler = (st: InpState, sc: Scanner, kw: Keyword, blk: Block) => void;
