// Decodes the PNGs Playwright and canvases write (8-bit RGB/RGBA, not interlaced) and measures
// regions of them: UI tests look at parts of a screenshot, never compare whole images. Plain JS so
// the Playwright tests run it as is; the integration suite imports it too (types in png.d.mts).
import zlib from 'node:zlib';

export function decodePng(bytes) {
  if (bytes.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error('not a PNG');
  let off = 8, width = 0, height = 0, colorType = 6;
  const idat = [];
  while (off < bytes.length) {
    const len = bytes.readUInt32BE(off), type = bytes.subarray(off + 4, off + 8).toString('latin1');
    const data = bytes.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('only 8-bit, non-interlaced PNGs');
      colorType = data[9];
    } else if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const rgba = new Uint8Array(width * height * 4);
  const prev = new Uint8Array(stride), cur = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      let v = line[i];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[i] = v & 255;
    }
    for (let x = 0; x < width; x++) {
      rgba.set(cur.subarray(x * bpp, x * bpp + 3), (y * width + x) * 4);
      rgba[(y * width + x) * 4 + 3] = bpp === 4 ? cur[x * bpp + 3] : 255;
    }
    prev.set(cur);
  }
  return { width, height, rgba };
}

/** Share of pixels in the box [x0, x1) × [y0, y1) for which test(r, g, b) holds. */
export function share(img, x0, y0, x1, y1, test) {
  let n = 0, hit = 0;
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(img.height, y1); y++) {
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(img.width, x1); x++) {
      const i = (y * img.width + x) * 4;
      n++;
      if (test(img.rgba[i], img.rgba[i + 1], img.rgba[i + 2])) hit++;
    }
  }
  return n ? hit / n : 0;
}
