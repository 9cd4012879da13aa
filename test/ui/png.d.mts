// Types of png.mjs, for the TypeScript tests that import it.

export interface PngImage {
  width: number;
  height: number;
  /** 4 bytes a pixel, rows top to bottom. */
  rgba: Uint8Array;
}

export function decodePng(bytes: Buffer): PngImage;

/** Share of pixels in the box [x0, x1) × [y0, y1) for which test(r, g, b) holds. */
export function share(img: PngImage, x0: number, y0: number, x1: number, y1: number, test: (r: number, g: number, b: number) => boolean): number;
