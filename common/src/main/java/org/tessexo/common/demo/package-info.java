/**
 * The built-in sample data: TESS-like FFIs and their labels, written once for {@code ./submit.sh demo}.
 */
package org.tessexo.common.demo;
