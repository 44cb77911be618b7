std.trim("string with tabs at end\t\t")
