/**
 * Synthetic pictures for the image tests and benchmark: smooth gradients with real structure, so that PDQ's quality
 * is high, built in memory so nothing is stored in the repository.
 */

/** A smooth RGB picture (`width × height × 3` bytes) with gradients in every direction. */
export function smoothPicture(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      const value = 128 + 60 * Math.sin(u * 8 + 1) * Math.cos(v * 5) + 60 * Math.sin((u * 7 + v * 13) * 2.25);
      data.set([value, 255 - value, 64 + value / 2], (y * width + x) * 3);
    }
  }
  return data;
}
