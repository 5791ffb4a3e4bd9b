/** The `/fleet` page's status loader with the fleet status reader loaded on the first page view (issue 17: planners, zod). */
import type * as Real from "../fleet-status/load-fleet-status.js";
import { importInTurn } from "./import-in-turn.js";

export function createRepositoryStatusLoader(...args: Parameters<typeof Real.createRepositoryStatusLoader>): ReturnType<typeof Real.createRepositoryStatusLoader> {
  let loader: Promise<ReturnType<typeof Real.createRepositoryStatusLoader>> | undefined;
  return async (repo) => {
    loader ??= importInTurn(() => import("../fleet-status/load-fleet-status.js")).then((m) => m.createRepositoryStatusLoader(...args));
    return (await loader)(repo);
  };
}
