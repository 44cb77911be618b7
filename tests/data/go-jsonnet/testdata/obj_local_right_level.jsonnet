{
    bar: 0
} + {
    local foo = super.bar + 1,
    bar: foo
} + {} + {} + {}