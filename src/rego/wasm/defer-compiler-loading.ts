/** Imported first by an entry module: the code generator is loaded on first compile, not at start (see compiler-loading.ts). */
import { deferCompilerLoading } from "./compiler-loading.js";

deferCompilerLoading();
