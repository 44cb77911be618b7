{
    local a = [a[1], 0],
    local b = d,
    local c = a,
    local d = a + [1],
    field: [a, b, c, d]
}