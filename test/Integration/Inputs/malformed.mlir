func.func @f() {
  %x = graft.bogus
}
