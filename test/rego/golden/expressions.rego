package fleetward.golden.expressions

big := 123456789012345678901234567890

tiny := -1e-400

prec := 1 + 2 * 3 - (4 - 5) / 6 % 7

sets := {1, 2} | {3} & {2, 3} - set()

strs := ["a\"b\\c\/d", "\b\f\n\r\t", "\u00e9\ud83d\ude00", `raw \n string`]

comps := {
	"arr": [x | some x in [1, 2, 3]; x > 1],
	"set": {x | x := [1, 2][_]},
	"obj": {k: v | some k, v in {"a": 1}},
}

checks if {
	every k, v in {"a": 1} {
		is_string(k)
		v == 1
	}
	not input.deny with input as {"deny": false} with data.x as 1
	x := f(1)[0].y
	"a" in {"a", "b"}
	1, "b" in ["a", "b"]
	x = input.y; y := x
}

tpl := $"hello {input.name}, you have {count(input.items) + 1} items \{literal}"

raw_tpl := $`multi
line {1 + 1}`
