// `node --import ./trace-modules.mjs …`: records which modules the process loads (see trace-hooks.mjs).
import { register } from "node:module";

register("./trace-hooks.mjs", import.meta.url);
