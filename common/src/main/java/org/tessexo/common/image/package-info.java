/**
 * Preprocessing of a decoded image into the CNN's input: trim, downsample, normalize; and {@link
 * org.tessexo.common.image.Png}, the encoder of the figures made on the executors.
 */
package org.tessexo.common.image;
