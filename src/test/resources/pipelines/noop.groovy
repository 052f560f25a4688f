// Compiling any script loads the implicit homeiq-pipeline library and binds its vars (tests only).
return this
