# café au lait
x = 1
