/**
 * The subset of GitHub's GraphQL schema the simulator serves, written from GitHub's public schema documentation
 * (names, types and nullability as GitHub declares them): `repository(owner:, name:) { object(expression: | oid:) }`
 * with Blob, Tree and Commit, and `rateLimit`. A query naming anything else fails validation, as on GitHub.
 */
import { buildSchema, type GraphQLSchema } from "graphql";

export const GRAPHQL_SDL = `
"A Git object ID (40 hexadecimal characters)."
scalar GitObjectID

interface GitObject {
  oid: GitObjectID!
  abbreviatedOid: String!
}

type Blob implements GitObject {
  oid: GitObjectID!
  abbreviatedOid: String!
  byteSize: Int!
  isBinary: Boolean
  isTruncated: Boolean!
  text: String
}

type TreeEntry {
  name: String!
  path: String
  type: String!
  mode: Int!
  oid: GitObjectID!
  object: GitObject
}

type Tree implements GitObject {
  oid: GitObjectID!
  abbreviatedOid: String!
  entries: [TreeEntry!]
}

type Commit implements GitObject {
  oid: GitObjectID!
  abbreviatedOid: String!
  tree: Tree!
  message: String!
}

type Repository {
  name: String!
  nameWithOwner: String!
  object(expression: String, oid: GitObjectID): GitObject
}

type RateLimit {
  cost: Int!
  limit: Int!
  nodeCount: Int!
  remaining: Int!
  resetAt: String!
  used: Int!
}

type Query {
  repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
  rateLimit(dryRun: Boolean = false): RateLimit
}
`;

let built: GraphQLSchema | undefined;

/** The schema, built once per process. */
export function graphqlSchema(): GraphQLSchema {
  built ??= buildSchema(GRAPHQL_SDL);
  return built;
}
