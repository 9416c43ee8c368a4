/**
 * A local flat projection of a construction site: metres east and north of an origin (the first point the
 * dashboard saw). Equirectangular: over a few hundred metres its error is far below GPS noise.
 */

const METRES_PER_DEGREE_LAT = 111_132;
const METRES_PER_DEGREE_LNG_AT_EQUATOR = 111_320;

export class LocalProjection {
  /** @param {number} lat0 @param {number} lng0 origin */
  constructor(lat0, lng0) {
    this.lat0 = lat0;
    this.lng0 = lng0;
    this.kx = METRES_PER_DEGREE_LNG_AT_EQUATOR * Math.cos((lat0 * Math.PI) / 180);
    this.ky = METRES_PER_DEGREE_LAT;
  }

  /** @returns {{x:number, y:number}} metres east (x) and north (y) of the origin */
  toMetres(lat, lng) {
    return { x: (lng - this.lng0) * this.kx, y: (lat - this.lat0) * this.ky };
  }
}

/**
 * The bounds (in metres) that hold every point with its radius, plus a margin, never smaller than
 * `minSpan` on a side (a site with one worker is still drawn at a readable scale).
 * @param {LocalProjection} projection
 * @param {{lat:number,lng:number,r?:number}[]} points
 */
export function boundsOf(projection, points, margin = 10, minSpan = 60) {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const p of points) {
    const { x, y } = projection.toMetres(p.lat, p.lng);
    const r = p.r || 0;
    x0 = Math.min(x0, x - r);
    x1 = Math.max(x1, x + r);
    y0 = Math.min(y0, y - r);
    y1 = Math.max(y1, y + r);
  }
  if (x0 === Infinity) return { x0: -minSpan / 2, x1: minSpan / 2, y0: -minSpan / 2, y1: minSpan / 2 };
  x0 -= margin;
  x1 += margin;
  y0 -= margin;
  y1 += margin;
  const grow = (lo, hi) => {
    const pad = Math.max(0, minSpan - (hi - lo)) / 2;
    return [lo - pad, hi + pad];
  };
  [x0, x1] = grow(x0, x1);
  [y0, y1] = grow(y0, y1);
  return { x0, x1, y0, y1 };
}
