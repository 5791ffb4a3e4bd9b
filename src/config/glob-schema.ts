/** The glob string type of `.github/fleetward.yml`, shared by every section that takes globs. */
import { z } from "zod";
import { checkGlob } from "../fleet/check-glob.js";
import type { FleetwardIssueParams } from "./schema.js";

/** A repository-relative minimatch glob (dotfiles match), checked by `checkGlob`. */
export const globSchema = z
  .string()
  .superRefine((pattern, ctx) => {
    const problem = checkGlob(pattern);
    if (problem !== null) {
      const params: FleetwardIssueParams = { fleetwardCode: "config_invalid_glob" };
      ctx.addIssue({ code: "custom", message: problem, params });
    }
  })
  .meta({ title: "glob", description: "A repository-relative minimatch glob; dotfiles match; no negation, no leading `/`, no `..`." });
