import type { Probot } from "probot";
import { appBotLogin } from "../github/repo-client.js";

/** The app's bot login (`<slug>[bot]`), asked of GitHub once; a failed lookup is asked again next time. */
export function createBotLogin(app: Probot): () => Promise<string> {
  let login: Promise<string> | null = null;
  return () => {
    login ??= appBotLogin(app).catch((error: unknown) => {
      login = null;
      throw error;
    });
    return login;
  };
}
