/** An error answer of the simulated API, shaped like GitHub's (`message`, `documentation_url`, `status`, optional `errors`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Array<Record<string, string> | string>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): Record<string, unknown> {
    const body: Record<string, unknown> = { message: this.message, documentation_url: "https://docs.github.com/rest", status: String(this.status) };
    if (this.errors) body["errors"] = this.errors;
    return body;
  }
}
