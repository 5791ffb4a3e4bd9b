/**
 * The `policies` section of `.github/fleetward.yml`: where the repository keeps its Rego policies (Conftest
 * modules, Gatekeeper ConstraintTemplates and Constraints) and which policies of Fleetward's bundled library
 * (`policies/library/<name>/`) it enables, with their parameters, and prebuilt OPA Wasm bundles committed to the
 * repository with the entrypoints to evaluate. Which files are manifests to judge is
 * `manifests.include`/`manifests.exclude`; policy files are never judged as manifests.
 *
 * This file must not import `schema.ts` (which imports it), so the glob check is rebuilt here from `checkGlob`.
 */
import { z } from "zod";
import { checkGlob } from "../fleet/check-glob.js";
import { suggestion } from "./check-config-semantics.js";

/**
 * The bundled library policies, by folder name under `policies/library/` (a test keeps this list equal to the
 * folders). Only ever add names: configurations refer to them.
 */
export const POLICY_LIBRARY_NAMES = [
  "approved-image-repos",
  "container-resources",
  "disallow-host-access",
  "disallow-latest-tag",
  "disallow-privileged",
  "replica-bounds",
  "required-labels",
  "required-probes",
] as const;

export type PolicyLibraryName = (typeof POLICY_LIBRARY_NAMES)[number];

const policyGlob = z
  .string()
  .superRefine((pattern, ctx) => {
    const problem = checkGlob(pattern);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem, params: { fleetwardCode: "config_invalid_glob" } });
  })
  .meta({ title: "glob", description: "A repository-relative minimatch glob; dotfiles match; no negation, no leading `/`, no `..`." });

/** A repository-relative folder (not a glob); `render-schema.ts` reuses it. */
export const policyFolder = z
  .string()
  .superRefine((folder, ctx) => {
    const problem = checkGlob(folder);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem, params: { fleetwardCode: "config_invalid_glob" } });
    else if (/[*?[\]{}()!+@]/.test(folder)) ctx.addIssue({ code: "custom", message: `"${folder}" is a folder, not a glob` });
  })
  .meta({ title: "folder", description: "A repository-relative folder, e.g. `policy` or `policy/conftest`." });

const policyFile = z
  .string()
  .superRefine((file, ctx) => {
    const problem = checkGlob(file);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem, params: { fleetwardCode: "config_invalid_glob" } });
    else if (/[*?[\]{}()!+@]/.test(file)) ctx.addIssue({ code: "custom", message: `"${file}" is a file path, not a glob` });
    else if (file.endsWith("/")) ctx.addIssue({ code: "custom", message: `"${file}" is a folder, not a file` });
  })
  .meta({ title: "file", description: "A repository-relative file path, e.g. `policy/bundle.tar.gz`." });

const bundleEntrypoint = z
  .strictObject({
    entrypoint: z.string().min(1).describe("The entrypoint, `main/deny` or `data.main.deny` (a rule or a package the bundle was built with)."),
    style: z
      .enum(["conftest", "gatekeeper"])
      .describe(
        "`conftest`: the input is the manifest document, results are Conftest messages; `gatekeeper`: the input is Gatekeeper's `{review, parameters}`, results are `{msg, details}` violations.",
      ),
    severity: z
      .enum(["failure", "warning"])
      .optional()
      .describe("Conftest style only: report the results as failures or warnings whatever the rule is called (default: by the rule name, deny/violation/warn)."),
    parameters: z.record(z.string(), z.unknown()).optional().describe("Gatekeeper style only: `input.parameters` (default `{}`)."),
  })
  .superRefine((e, ctx) => {
    if (e.style === "gatekeeper" && e.severity !== undefined) {
      ctx.addIssue({ code: "custom", path: ["severity"], message: "severity applies to conftest-style entrypoints only (Gatekeeper-style results are failures)" });
    }
    if (e.style === "conftest" && e.parameters !== undefined) {
      ctx.addIssue({ code: "custom", path: ["parameters"], message: "parameters apply to gatekeeper-style entrypoints only" });
    }
  })
  .meta({ title: "Bundle entrypoint", description: "One entrypoint of a bundle and how its value is read." });

const bundleEntry = z
  .strictObject({
    path: policyFile.describe("Where the bundle (`bundle.tar.gz` from `opa build -t wasm` or `fleetward build`) is committed."),
    entrypoints: z.array(bundleEntrypoint).min(1).describe("The entrypoints to evaluate on every changed manifest document."),
  })
  .meta({ title: "OPA bundle", description: "A prebuilt OPA Wasm bundle read from the base branch." });

const libraryParameters = z
  .record(z.string(), z.unknown())
  .meta({
    title: "Library policy parameters",
    description: "The Constraint's `spec.parameters`, checked against the template's parameter schema; `{}` for none.",
  });

const libraryMap = z
  .record(z.string(), libraryParameters)
  .superRefine((library, ctx) => {
    const known: readonly string[] = POLICY_LIBRARY_NAMES;
    for (const name of Object.keys(library)) {
      if (known.includes(name)) continue;
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: `unknown library policy "${name}"${suggestion(name, known)}; the library has ${known.join(", ")}`,
        params: { fleetwardCode: "config_unknown_policy" },
      });
    }
  });

const DESCRIPTIONS = {
  section: "Which Rego policies judge pull requests: the repository's own Conftest and Gatekeeper policies, and the bundled library.",
  conftest: "Conftest-style Rego modules: rules `deny`, `violation` and `warn` (and their `_suffix` forms) on each manifest document.",
  conftestDir: "Folder of the Conftest modules (`.rego` files below it, `*_test.rego` files are their unit tests).",
  namespaces: "Packages whose rules are queried, as Conftest's `--namespace`.",
  allNamespaces: "Query every package found in the modules (Conftest's `--all-namespaces`); `namespaces` is then ignored.",
  data: "Globs of JSON/YAML files merged into `data` (Conftest's `--data`), e.g. `policy/data/**`.",
  gatekeeper: "Gatekeeper ConstraintTemplates and Constraints kept in the repository.",
  gatekeeperPaths:
    "Globs of the YAML files holding ConstraintTemplates, Constraints (kinds of group `constraints.gatekeeper.sh`) and gator Suites; other documents in them are ignored.",
  bundles:
    "Prebuilt OPA Wasm bundles committed to the repository (read as of the base branch), each with the entrypoints to evaluate on the changed manifests.",
  inventory:
    "Gatekeeper's `data.inventory` and the Namespaces of `namespaceSelector`: when a template reads `data.inventory` or a constraint has a `namespaceSelector`, they are built from every manifest of the pull request's head, up to `maxFiles` manifest files (beyond it, from the changed files only, with a warning).",
  library: `Bundled library policies to enable, by name, each with its parameters, e.g. \`approved-image-repos: { repos: ["registry.example.com/"] }\`. Names: ${POLICY_LIBRARY_NAMES.map((n) => `\`${n}\``).join(", ")}.`,
} as const;

export const policiesSectionSchema = z
  .strictObject({
    conftest: z
      .strictObject({
        dir: policyFolder.default("policy").describe(DESCRIPTIONS.conftestDir),
        namespaces: z.array(z.string().min(1)).min(1).default(["main"]).describe(DESCRIPTIONS.namespaces),
        allNamespaces: z.boolean().default(false).describe(DESCRIPTIONS.allNamespaces),
        data: z.array(policyGlob).default([]).describe(DESCRIPTIONS.data),
      })
      .prefault({})
      .meta({ title: "Conftest policies", description: DESCRIPTIONS.conftest }),
    gatekeeper: z
      .strictObject({
        paths: z.array(policyGlob).default(["policies/**/*.yaml", "policies/**/*.yml"]).describe(DESCRIPTIONS.gatekeeperPaths),
        inventory: z
          .strictObject({
            maxFiles: z.number().int().min(0).default(2000).describe("Most manifest files of the head read to build the inventory (0: never read the repository)."),
          })
          .prefault({})
          .meta({ title: "Inventory", description: DESCRIPTIONS.inventory }),
      })
      .prefault({})
      .meta({ title: "Gatekeeper policies", description: DESCRIPTIONS.gatekeeper }),
    library: libraryMap.default({}).describe(DESCRIPTIONS.library),
    bundles: z.array(bundleEntry).default([]).describe(DESCRIPTIONS.bundles),
  })
  .prefault({})
  .meta({ title: "Policies", description: DESCRIPTIONS.section });

export type PoliciesConfig = z.output<typeof policiesSectionSchema>;
export type BundleConfig = PoliciesConfig["bundles"][number];
