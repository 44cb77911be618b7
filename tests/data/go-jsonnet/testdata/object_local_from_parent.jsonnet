{
    local a = 42,
    f: {
        local b = a,
        f: b
    }
}