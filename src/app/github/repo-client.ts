import type { Probot } from "probot";
import type { GitHubClient, RepoRef } from "./github-client.js";

/**
 * A client authenticated as the app's installation on one repository, for work that does not start from
 * a webhook (alert routes, the reconciler): a JWT-signed `apps.getRepoInstallation`, then an installation
 * token (Probot caches tokens per installation).
 */
export async function repoClient(app: Probot, where: RepoRef): Promise<GitHubClient> {
  const asApp = await app.auth();
  const installation = await asApp.rest.apps.getRepoInstallation({ owner: where.owner, repo: where.repo });
  return app.auth(installation.data.id);
}

/** Every repository the app is installed on, with the installation id (for periodic reconciling). */
export async function listInstalledRepos(app: Probot): Promise<Array<RepoRef & { installationId: number; defaultBranch: string }>> {
  const asApp = await app.auth();
  const installations = await asApp.paginate(asApp.rest.apps.listInstallations, { per_page: 100 });
  const out: Array<RepoRef & { installationId: number; defaultBranch: string }> = [];
  for (const installation of installations) {
    const gh = await app.auth(installation.id);
    const repos = await gh.paginate(gh.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    for (const r of repos) out.push({ owner: r.owner.login, repo: r.name, installationId: installation.id, defaultBranch: r.default_branch });
  }
  return out;
}

/** The login the app's installations act as (`<slug>[bot]`): the author of Fleetward's pull requests and issues. One JWT-signed `apps.getAuthenticated` call. */
export async function appBotLogin(app: Probot): Promise<string> {
  const asApp = await app.auth();
  const res = await asApp.rest.apps.getAuthenticated();
  return `${res.data?.slug ?? ""}[bot]`;
}
