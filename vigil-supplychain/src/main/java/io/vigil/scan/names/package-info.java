/**
 * Package-name analysis: {@link io.vigil.scan.names.NameAnalyzer} flags names that imitate popular
 * packages (typosquatting) and internal-looking names at suspiciously high versions (dependency
 * confusion). The popular-name lists are facts shipped as resources ({@code npm-popular.txt},
 * {@code pypi-popular.txt}), most downloaded first.
 */
package io.vigil.scan.names;
