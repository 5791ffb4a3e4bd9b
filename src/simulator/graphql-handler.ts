/**
 * `POST /graphql` (and `/api/graphql`, GitHub Enterprise Server's path): GitHub's GraphQL API for the subset in
 * graphql-schema.ts. Like GitHub:
 * - an installation token is required (401 without one); a repository the token cannot see resolves to null with a
 *   NOT_FOUND error;
 * - the query is parsed and validated against the schema: an unknown field or argument answers 200 with `errors`
 *   and no `data` (and the simulator records a violation, as it does for REST requests that break the description);
 * - at most 500,000 nodes per query (every `repository` and `object` lookup and every tree entry counts one);
 * - every request is logged (operation id `graphql`), so call counts include GraphQL queries; `rateLimit.cost` is 1.
 * Blobs: `text` is null for binary blobs (a NUL byte among the first 8,000 bytes, git's rule) and cut at 512 KiB
 * with `isTruncated` (the simulator's choice of GitHub's undocumented limit). `object(oid:)` finds any object the
 * simulator stores (GitHub's object store is shared across forks too).
 */
import { type DocumentNode, execute, GraphQLError, parse, validate, visit } from "graphql";
import type { GitHubSimulator, SimRequest, SimResponse } from "./github-simulator.js";
import type { GitObject } from "./git-store.js";
import { graphqlSchema } from "./graphql-schema.js";
import { repoKey, type SimRepo } from "./sim-model.js";

/** Blob text beyond this many bytes is cut and flagged `isTruncated`. */
export const GRAPHQL_TEXT_LIMIT = 512 * 1024;
/** GitHub's node limit per query. */
export const GRAPHQL_NODE_LIMIT = 500_000;
const POINTS_PER_HOUR = 5000;

const usedPoints = new WeakMap<GitHubSimulator, number>();

function header(headers: SimRequest["headers"], name: string): string | undefined {
  const hit = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(hit) ? hit[0] : hit;
}

const isBinary = (content: Buffer) => content.subarray(0, 8000).includes(0);

function objectView(sim: GitHubSimulator, object: GitObject | undefined, path: string): unknown {
  if (object === undefined) return null;
  const base = { oid: object.sha, abbreviatedOid: object.sha.slice(0, 7) };
  if (object.kind === "blob") {
    const binary = isBinary(object.content);
    const truncated = !binary && object.content.length > GRAPHQL_TEXT_LIMIT;
    const text = binary ? null : (truncated ? object.content.subarray(0, GRAPHQL_TEXT_LIMIT) : object.content).toString("utf8");
    return { __typename: "Blob", ...base, byteSize: object.content.length, isBinary: binary, isTruncated: truncated, text };
  }
  if (object.kind === "commit") return { __typename: "Commit", ...base, message: object.message, tree: () => objectView(sim, sim.git.get(object.tree), "") };
  const entries = () =>
    object.entries.map((e) => ({
      name: e.path,
      path: path === "" ? e.path : `${path}/${e.path}`,
      type: e.type,
      mode: parseInt(e.mode, 8),
      oid: e.sha,
      object: () => objectView(sim, sim.git.get(e.sha), path === "" ? e.path : `${path}/${e.path}`),
    }));
  return { __typename: "Tree", ...base, entries };
}

/** `rev:path` (or a bare revision: its commit) in `repo`, as `git rev-parse` reads it. */
function resolveExpression(sim: GitHubSimulator, repo: SimRepo, expression: string): unknown {
  const colon = expression.indexOf(":");
  const rev = colon === -1 ? expression : expression.slice(0, colon);
  const sha = sim.resolveCommitish(repo, rev === "" ? "HEAD" : rev) ?? (rev === "HEAD" ? sim.resolveCommitish(repo, repo.defaultBranch) : undefined);
  const commit = sha !== undefined ? sim.git.commit(sha) : undefined;
  if (commit === undefined) return null;
  if (colon === -1) return objectView(sim, commit, "");
  const path = expression.slice(colon + 1).replace(/^\/+|\/+$/g, "");
  if (path === "") return objectView(sim, sim.git.get(commit.tree), "");
  const entry = sim.git.walk(commit.tree).find((e) => e.path === path);
  return entry === undefined ? null : objectView(sim, sim.git.get(entry.sha), path);
}

/** Nodes a query may return: each `repository` and `object` lookup, and each tree entry (counted as 1 per list). */
function nodeCount(document: DocumentNode): number {
  let nodes = 0;
  visit(document, {
    Field(node) {
      if (node.name.value === "repository" || node.name.value === "object" || node.name.value === "entries") nodes++;
    },
  });
  return nodes;
}

function json(status: number, body: unknown): SimResponse {
  return { status, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(body) };
}

/** Answers a GraphQL request, or undefined when the request is not one (another route handles it). */
export async function handleGraphql(sim: GitHubSimulator, method: string, path: string, req: SimRequest): Promise<SimResponse | undefined> {
  if (path !== "/graphql" && path !== "/api/graphql") return undefined;
  const logged = (status: number, response: SimResponse): SimResponse => {
    sim.requestLog.push({ method, operationId: "graphql", url: path, status });
    return response;
  };
  if (method !== "POST") return logged(404, json(404, { message: "Not Found", documentation_url: "https://docs.github.com/graphql" }));
  const [scheme, credential] = (header(req.headers, "authorization") ?? "").split(/\s+/, 2);
  const token = credential !== undefined && /^(token|bearer)$/i.test(scheme ?? "") ? sim.tokens.get(credential) : undefined;
  const installation = token !== undefined ? sim.installations.get(token.installationId) : undefined;
  if (token === undefined || installation === undefined) {
    return logged(401, json(401, { message: "This endpoint requires you to be authenticated.", documentation_url: "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql" }));
  }
  let request: { query?: unknown; variables?: unknown };
  try {
    request = JSON.parse(req.body ?? "") as typeof request;
  } catch {
    sim.violations.push({ method, url: path, operationId: "graphql", message: "request body is not valid JSON" });
    return logged(400, json(400, { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/graphql" }));
  }
  const fail = (errors: readonly GraphQLError[] | Array<{ message: string }>): SimResponse => {
    for (const e of errors) sim.violations.push({ method, url: path, operationId: "graphql", message: e.message });
    return logged(200, json(200, { errors: errors.map((e) => (e instanceof GraphQLError ? e.toJSON() : e)) }));
  };
  if (typeof request.query !== "string") return fail([{ message: "A query attribute must be specified and must be a string." }]);
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return fail([error instanceof GraphQLError ? error : new GraphQLError(String(error))]);
  }
  const invalid = validate(graphqlSchema(), document);
  if (invalid.length > 0) return fail(invalid);
  const nodes = nodeCount(document);
  if (nodes > GRAPHQL_NODE_LIMIT) return fail([{ message: `This query requests up to ${nodes} possible nodes which exceeds the maximum limit of ${GRAPHQL_NODE_LIMIT}.` }]);
  const used = (usedPoints.get(sim) ?? 0) + 1;
  usedPoints.set(sim, used);
  const root = {
    rateLimit: () => ({ cost: 1, limit: POINTS_PER_HOUR, nodeCount: nodes, remaining: POINTS_PER_HOUR - used, resetAt: new Date(sim.clock.now().getTime() + 3_600_000).toISOString(), used }),
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = sim.repos.get(repoKey(owner, name));
      const visible = repo !== undefined && sim.installationCovers(installation, repo) && (token.repoKeys === undefined || token.repoKeys.has(repoKey(owner, name)));
      if (!visible) throw new GraphQLError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, { extensions: { type: "NOT_FOUND" } });
      return {
        name: repo.name,
        nameWithOwner: `${repo.owner.login}/${repo.name}`,
        object: ({ expression, oid }: { expression?: string; oid?: string }) =>
          oid !== undefined ? objectView(sim, sim.git.get(oid.toLowerCase()), "") : expression !== undefined ? resolveExpression(sim, repo, expression) : null,
      };
    },
  };
  const variables = typeof request.variables === "object" && request.variables !== null ? (request.variables as Record<string, unknown>) : {};
  const result = await execute({ schema: graphqlSchema(), document, rootValue: root, variableValues: variables });
  const body: Record<string, unknown> = { data: result.data ?? null };
  if (result.errors !== undefined) body.errors = result.errors.map((e) => ({ ...e.toJSON(), ...(e.extensions.type !== undefined ? { type: e.extensions.type } : {}) }));
  return logged(200, json(200, body));
}
