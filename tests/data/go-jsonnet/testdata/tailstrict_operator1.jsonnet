local g() = 41;
local f(x) = g() + x;

f(1) tailstrict
