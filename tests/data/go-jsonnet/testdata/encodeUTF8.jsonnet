[
    std.encodeUTF8(''),
    std.encodeUTF8('A'),
    std.encodeUTF8('AAA'),
    std.encodeUTF8('§'),
    std.encodeUTF8('zażółć geślą jaźń'),
]