/**
 * The `render:` section of `.github/fleetward.yml`: whether Fleetward renders Kustomize overlays before judging
 * them (`kustomize`), which folders are rendered (`roots`, default: discovered) and how many resources one root may
 * produce (`maxResources`). Every field has a default, so configurations written before rendering existed stay
 * valid and get the default behaviour (render discovered overlays).
 *
 * This file must not import `schema.ts` (which imports it).
 */
import { z } from "zod";
import { policyFolder } from "./policy-schema.js";

const DESCRIPTIONS = {
  section:
    "Kustomize rendering: the policy check judges the objects each overlay renders (not its files), and pull requests get a per-root rendered diff and blast radius (see docs/rendering.md).",
  kustomize:
    "`auto`: render every kustomization root under the environments' and clusters' paths; `off`: never render, every manifest file is judged as it is.",
  roots:
    "Folders to render, e.g. `envs/prod-eu-1`. Default (empty): every folder with a kustomization under an environment's or cluster's paths that no other kustomization there includes.",
  maxResources: "Most resources one root may render before its render fails (a diagnostic at the root's kustomization).",
} as const;

const rootFolder = policyFolder.meta({ title: "folder", description: "A repository-relative folder, e.g. `envs/prod-eu-1`." });

export const renderSectionSchema = z
  .strictObject({
    kustomize: z.enum(["auto", "off"]).default("auto").describe(DESCRIPTIONS.kustomize),
    roots: z.array(rootFolder).default([]).describe(DESCRIPTIONS.roots),
    maxResources: z.int().min(1).max(1_000_000).default(5000).describe(DESCRIPTIONS.maxResources),
  })
  .prefault({})
  .meta({ title: "Render", description: DESCRIPTIONS.section });

export type RenderConfig = z.output<typeof renderSectionSchema>;
