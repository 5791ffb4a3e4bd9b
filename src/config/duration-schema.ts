/** The duration string type of `.github/fleetward.yml`, shared by every section that takes a duration. */
import { z } from "zod";
import { DURATION_PATTERN, parseDuration } from "./parse-duration.js";
import type { FleetwardIssueParams } from "./schema.js";

/** A duration string (`30m`, `2h`, `7d`, `1h30m`), checked by `parseDuration`. */
export const durationSchema = z
  .string()
  .superRefine((text, ctx) => {
    const parsed = parseDuration(text);
    if (!parsed.ok) {
      const params: FleetwardIssueParams = { fleetwardCode: "config_invalid_duration" };
      ctx.addIssue({ code: "custom", message: parsed.error, params });
    }
  })
  .meta({
    title: "duration",
    pattern: DURATION_PATTERN,
    description: "A duration: a number and a unit (s, m, h, d, w), or a sum such as `1h30m`.",
  });
