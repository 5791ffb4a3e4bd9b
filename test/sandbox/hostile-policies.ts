/** Hostile Rego unit tests, for the policy sandbox's tests: one that runs for minutes, one that wants a gigabyte. */

// A catastrophic backtracking pattern (linear under RE2) and 3000³ iterations; test_cubic is at line 7.
export const HOSTILE_TESTS = `package main

test_backtracking if {
	not regex.match("^(a+)+$", "${"a".repeat(40)}!")
}

test_cubic if {
	n := count([x | some a in numbers.range(1, 3000); some b in numbers.range(1, 3000); some c in numbers.range(1, 3000); x := (a + b) + c])
	n > 0
}
`;
// test_bomb is at line 3: a string made 16 times longer six times (64 B to 1 GiB).
export const MEMORY_BOMB = `package main

test_bomb if {
	some s0 in ["0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"]
	s1 := concat("", [s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0, s0])
	s2 := concat("", [s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1, s1])
	s3 := concat("", [s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2, s2])
	s4 := concat("", [s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3, s3])
	s5 := concat("", [s4, s4, s4, s4, s4, s4, s4, s4, s4, s4, s4, s4, s4, s4, s4, s4])
	s6 := concat("", [s5, s5, s5, s5, s5, s5, s5, s5, s5, s5, s5, s5, s5, s5, s5, s5])
	count(s6) > 0
}
`;
