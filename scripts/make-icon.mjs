// Draws media/icon.png (128x128): a glass flask with green liquid on a violet rounded square.
// Hand-rolled PNG encoder (zlib + CRC32) and 4x4 supersampling, so no image tool is needed.
//   node scripts/make-icon.mjs [out.png]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const size = 128;
const samples = 4; // per axis: 16 samples per pixel for smooth edges

const flaskOutline = [
  [46, 14],
  [82, 14],
  [82, 26],
  [76, 26],
  [76, 52],
  [106, 98],
  [106, 104],
  [100, 112],
  [28, 112],
  [22, 104],
  [22, 98],
  [52, 52],
  [52, 26],
  [46, 26],
];
const flaskInside = [
  [58, 21],
  [70, 21],
  [70, 54],
  [99, 99],
  [99, 102],
  [95, 106],
  [33, 106],
  [29, 102],
  [29, 99],
  [58, 54],
];
const liquidTop = 72;
const bubbles = [
  [52, 92, 5],
  [70, 84, 3.5],
  [80, 97, 4.5],
  [62, 100, 2.5],
];

function insidePolygon(x, y, polygon) {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function insideRoundedSquare(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), size - radius);
  const cy = Math.min(Math.max(y, radius), size - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

/** Colour (RGBA, 0-255) of one sample point. */
function sample(x, y) {
  if (!insideRoundedSquare(x, y, 26)) return [0, 0, 0, 0];
  const background = mix([109, 74, 255], [49, 46, 129], y / size); // violet, darker towards the bottom
  if (!insidePolygon(x, y, flaskOutline)) return [...background, 255];
  if (!insidePolygon(x, y, flaskInside)) return [255, 255, 255, 255]; // the glass wall
  if (y < liquidTop) return [...mix(background, [255, 255, 255], 0.18), 255]; // empty glass
  if (bubbles.some(([bx, by, r]) => (x - bx) ** 2 + (y - by) ** 2 <= r * r)) return [220, 252, 231, 255];
  if (y < liquidTop + 3) return [167, 243, 208, 255]; // bright surface line
  return [...mix([52, 211, 153], [5, 150, 105], (y - liquidTop) / (112 - liquidTop)), 255];
}

function render() {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [r, g, b, a] = sample(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples);
          // premultiplied, so transparent corners do not darken the edge
          sum[0] += r * a;
          sum[1] += g * a;
          sum[2] += b * a;
          sum[3] += a;
        }
      }
      const offset = (py * size + px) * 4;
      const alpha = sum[3] / (samples * samples);
      for (let c = 0; c < 3; c++) pixels[offset + c] = sum[3] ? Math.round(sum[c] / sum[3]) : 0;
      pixels[offset + 3] = Math.round(alpha);
    }
  }
  return pixels;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4); // filter 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = process.argv[2] ?? path.resolve(import.meta.dirname, '../media/icon.png');
fs.writeFileSync(out, encodePng(render()));
console.log(`wrote ${out} (${size}x${size})`);
