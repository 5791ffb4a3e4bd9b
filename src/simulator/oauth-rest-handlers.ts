/** REST operations answered for user-to-server tokens (see oauth.ts): the signed-in user and what they can read. */
import { HttpError } from "./http-error.js";
import { paginate, type RestContext, type RestResult } from "./rest-handlers.js";
import type { SimUserToken } from "./oauth.js";

function userToken(ctx: RestContext): SimUserToken {
  if (!ctx.userToken) throw new HttpError(403, "Resource not accessible by integration");
  return ctx.userToken;
}

export const oauthRestHandlers: Record<string, (ctx: RestContext) => RestResult> = {
  "users/get-authenticated": (ctx) => {
    const u = ctx.sim.user(userToken(ctx).login);
    const at = ctx.sim.clock.iso();
    const profile = { name: u.name, company: null, blog: "", location: null, email: null, hireable: null, bio: null, public_repos: 0, public_gists: 0, followers: 0, following: 0, created_at: at, updated_at: at };
    return { body: { ...ctx.sim.views.user(u), ...profile } };
  },
  "apps/list-installations-for-authenticated-user": (ctx) => {
    const all = ctx.sim.oauth.installationsFor(userToken(ctx)).map((i) => ctx.sim.views.installation(i));
    const page = paginate(ctx, all);
    return { body: { total_count: all.length, installations: page.body }, headers: page.headers };
  },
  "apps/list-installation-repos-for-authenticated-user": (ctx) => {
    const t = userToken(ctx);
    const inst = ctx.sim.oauth.installationsFor(t).find((i) => String(i.id) === ctx.params["installation_id"]);
    if (!inst) throw new HttpError(404, "Not Found");
    const repos = ctx.sim.oauth.reposFor(t, inst).map((r) => ({ ...ctx.sim.views.repo(r), permissions: { admin: false, maintain: false, push: false, triage: false, pull: true } }));
    const page = paginate(ctx, repos);
    return { body: { total_count: repos.length, repository_selection: inst.repositorySelection, repositories: page.body }, headers: page.headers };
  },
};
