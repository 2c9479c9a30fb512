/**
 * Preprocessing of a decoded image into the CNN's input: trim, downsample, normalize.
 */
package org.tessexo.common.image;
