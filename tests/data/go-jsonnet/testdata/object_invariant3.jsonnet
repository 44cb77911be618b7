std.objectFields({assert false})
