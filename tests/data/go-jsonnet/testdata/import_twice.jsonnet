local x = importstr "import.jsonnet";
local y = importstr "import.jsonnet";
x + y