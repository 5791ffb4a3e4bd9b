/**
 * The command line of `fleetward test`, Conftest's flags: what they mean here, and which are refused because they
 * need something other than Fleetward's engine (a registry, OPA's tracer, protobuf descriptors).
 */
export type ConftestOutputFormat = "stdout" | "json" | "tap" | "table" | "junit" | "github";
export const OUTPUT_FORMATS: readonly ConftestOutputFormat[] = ["stdout", "json", "tap", "table", "junit", "github"];

export interface TestOptions {
  inputs: string[];
  policies: string[];
  namespaces: string[];
  allNamespaces: boolean;
  combine: boolean;
  data: string[];
  output: ConftestOutputFormat;
  failOnWarn: boolean;
  noFail: boolean;
  regoVersion: "v0" | "v1";
  /** `--parser yaml|json`: every input file is read with it, whatever its extension. */
  parser?: "yaml" | "json";
  /** `--ignore <regex>`: paths met while walking a directory that match are skipped (Go's RE2 syntax). */
  ignore?: string;
  /** `--quiet`: print nothing when the exit code is 0. */
  quiet: boolean;
  suppressExceptions: boolean;
  junitHideMessage: boolean;
}

/** Conftest flags that need another engine, with why; given, they are a usage error naming the flag. */
const REFUSED: Record<string, string> = {
  "--update": "it pulls policies from OCI registries and URLs; fetch them first (conftest pull, oras) and pass the folder with -p",
  "-u": "it pulls policies from OCI registries and URLs; fetch them first (conftest pull, oras) and pass the folder with -p",
  "--trace": "it prints OPA's evaluation trace, which Fleetward's compiled Wasm does not record",
  "--capabilities": "OPA capabilities files are not read; Fleetward's builtins are fixed per version",
  "--proto-file-dirs": "Protocol Buffer inputs are not parsed (only YAML and JSON)",
  "--report": "it needs OPA's tracer",
  "--strict": "OPA's strict compiler mode is not implemented",
  "--tls": "it is for OCI registries, which are not used",
};

const VALUE_FLAGS = new Set(["--update", "-u", "--capabilities", "--proto-file-dirs", "--report"]);

export function parseTestArgs(args: readonly string[]): TestOptions | string {
  const o: TestOptions = {
    inputs: [],
    policies: [],
    namespaces: [],
    allNamespaces: false,
    combine: false,
    data: [],
    output: "stdout",
    failOnWarn: false,
    noFail: false,
    regoVersion: "v1",
    quiet: false,
    suppressExceptions: false,
    junitHideMessage: false,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (eq > 0 ? a.slice(eq + 1) : args[++i]);
    const refused = REFUSED[flag];
    if (refused !== undefined) {
      if (VALUE_FLAGS.has(flag) && eq < 0) i++;
      return `${flag} is not supported: ${refused}`;
    }
    switch (flag) {
      case "-p":
      case "--policy":
      case "-d":
      case "--data": {
        const v = value();
        if (v === undefined) return `${flag} needs a path`;
        (flag === "-p" || flag === "--policy" ? o.policies : o.data).push(...v.split(",").filter((s) => s !== ""));
        break;
      }
      case "-n":
      case "--namespace": {
        const v = value();
        if (v === undefined || v === "") return `${flag} needs a namespace`;
        o.namespaces.push(...v.split(",").filter((s) => s !== ""));
        break;
      }
      case "-o":
      case "--output": {
        const v = value();
        const format = OUTPUT_FORMATS.find((f) => f === v);
        if (format === undefined) return `${flag} must be one of ${OUTPUT_FORMATS.join(", ")} (got ${v ?? "nothing"})`;
        o.output = format;
        break;
      }
      case "--parser": {
        const v = value();
        if (v !== "yaml" && v !== "json") return `--parser must be yaml or json (got ${v ?? "nothing"}); other Conftest parsers are not supported`;
        o.parser = v;
        break;
      }
      case "--ignore": {
        const v = value();
        if (v === undefined) return "--ignore needs a regular expression";
        o.ignore = v;
        break;
      }
      case "--rego-version": {
        const v = value();
        if (v !== "v0" && v !== "v1") return "--rego-version must be v0 or v1";
        o.regoVersion = v;
        break;
      }
      case "--all-namespaces":
        o.allNamespaces = true;
        break;
      case "--combine":
        o.combine = true;
        break;
      case "--fail-on-warn":
        o.failOnWarn = true;
        break;
      case "--no-fail":
        o.noFail = true;
        break;
      case "--no-color":
        break;
      case "--quiet":
        o.quiet = true;
        break;
      case "--suppress-exceptions":
        o.suppressExceptions = true;
        break;
      case "--junit-hide-message":
        o.junitHideMessage = true;
        break;
      default:
        if (a.startsWith("-") && a !== "-") return `unknown option ${a}`;
        // Conftest skips empty arguments (a script's unset variable), so an empty "" names no file.
        if (a !== "") o.inputs.push(a);
    }
  }
  if (o.inputs.length === 0) return "at least one file, directory or - is required";
  if (o.policies.length === 0) o.policies.push("policy");
  return o;
}
