/** Host builtins of the semver family (Semantic Versioning 2.0.0). */
import { builtinError, str, type HostBuiltinFamily } from "./operands.js";

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function semverCompare(a: string, b: string): number {
  const ma = SEMVER.exec(a);
  const mb = SEMVER.exec(b);
  if (!ma) throw builtinError(`semver.compare: operand 1: string ${JSON.stringify(a)} is not a valid SemVer`);
  if (!mb) throw builtinError(`semver.compare: operand 2: string ${JSON.stringify(b)} is not a valid SemVer`);
  for (let i = 1; i <= 3; i++) {
    const x = BigInt(ma[i] as string);
    const y = BigInt(mb[i] as string);
    if (x !== y) return x < y ? -1 : 1;
  }
  const pa = ma[4];
  const pb = mb[4];
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1;
  const xs = pa.split(".");
  const ys = pb.split(".");
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const x = xs[i];
    const y = ys[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (nx !== ny) return nx ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export const semverBuiltins: HostBuiltinFamily = {
  "semver.is_valid": (v) => typeof v === "string" && SEMVER.test(v),
  "semver.compare": (a, b) => semverCompare(str("semver.compare", 0, a), str("semver.compare", 1, b)),
};
