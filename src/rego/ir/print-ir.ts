/** Prints planner IR as indented text (one statement per line) for golden tests and debugging. */
import type { IrProgram, Operand, Stmt } from "../planner/ir-program.js";

function operand(o: Operand): string {
  switch (o.k) {
    case "local":
      return `l${o.l}`;
    case "string":
      return JSON.stringify(o.v);
    case "number":
      return o.v;
    case "bool":
      return String(o.v);
    case "null":
      return "null";
  }
}

function list(os: readonly Operand[]): string {
  return os.map(operand).join(", ");
}

function printStmts(stmts: readonly Stmt[], indent: string, out: string[]): void {
  for (const s of stmts) {
    const line = (text: string): void => {
      out.push(indent + text);
    };
    switch (s.op) {
      case "assign": line(`l${s.target} = ${operand(s.source)}`); break;
      case "reset": line(`l${s.target} = undefined`); break;
      case "dot": line(`l${s.target} = ${operand(s.src)}[${operand(s.key)}]`); break;
      case "equal": line(`equal ${operand(s.a)}, ${operand(s.b)}`); break;
      case "notEqual": line(`not_equal ${operand(s.a)}, ${operand(s.b)}`); break;
      case "isDefined": line(`is_defined l${s.l}`); break;
      case "isUndefined": line(`is_undefined l${s.l}`); break;
      case "isType": line(`is_type ${operand(s.a)}, ${s.tag}`); break;
      case "isCollection": line(`is_collection ${operand(s.a)}`); break;
      case "lenEqual": line(`len_equal ${operand(s.a)}, ${s.n}`); break;
      case "compare": line(`${s.rel} ${operand(s.a)}, ${operand(s.b)}`); break;
      case "call": line(`l${s.target} = call ${s.func}(${list(s.args)})`); break;
      case "builtin": line(`l${s.target} = builtin ${s.name}(${list(s.args)})`); break;
      case "templateText": line(`l${s.target} = template_text l${s.src}`); break;
      case "makeArray": line(`l${s.target} = []`); break;
      case "makeObject": line(`l${s.target} = {}`); break;
      case "makeSet": line(`l${s.target} = set()`); break;
      case "arrayAppend": line(`append l${s.array}, ${operand(s.value)}`); break;
      case "setAdd": line(`set_add l${s.set}, ${operand(s.value)}`); break;
      case "objectInsert": line(`${s.once ? "object_insert_once" : "object_insert"} l${s.object}[${operand(s.key)}] = ${operand(s.value)}`); break;
      case "objectChild": line(`l${s.target} = ${s.set ? "set_child" : "object_child"} l${s.object}[${operand(s.key)}]`); break;
      case "objectCopy": line(`l${s.target} = object_copy ${operand(s.src)}`); break;
      case "upsertPath": line(`l${s.target} = upsert ${operand(s.src)}[${list(s.path)}] = ${operand(s.value)}`); break;
      case "assignOnce": line(`assign_once l${s.target} = ${operand(s.value)}`); break;
      case "abort": line(`abort ${JSON.stringify(s.message)}`); break;
      case "cacheGet": line(`l${s.target} = cache[${s.slot}]`); break;
      case "cacheSet": line(`cache[${s.slot}] = l${s.value}`); break;
      case "mockGet": line(`l${s.target} = mock[${s.slot}]`); break;
      case "mockSet": line(`mock[${s.slot}] = ${operand(s.value)}`); break;
      case "return": line(`return l${s.value}`); break;
      case "scan":
        line(`scan l${s.src} (l${s.key}, l${s.value}) {`);
        printStmts(s.body, indent + "  ", out);
        line("}");
        break;
      case "block":
        line("block {");
        printStmts(s.body, indent + "  ", out);
        line("}");
        break;
      case "not":
        line("not {");
        printStmts(s.body, indent + "  ", out);
        line("}");
        break;
    }
  }
}

/** The whole program as text: entrypoints, then each function. */
export function printIr(program: IrProgram): string {
  const out: string[] = [];
  for (const e of program.entrypoints) out.push(`entrypoint ${JSON.stringify(e.name)} -> ${e.func}`);
  for (const f of program.functions) {
    out.push(`function ${f.name}(params ${f.params}, locals ${f.locals}) {`);
    printStmts(f.body, "  ", out);
    out.push("}");
  }
  return out.join("\n") + "\n";
}
