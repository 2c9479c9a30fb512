package org.tessexo.spark.transforms;

import org.apache.spark.sql.Column;

import java.io.Serializable;

/**
 * One row of {@code lightcurves/}: a star and its series, as a bean so that Spark's encoder copies the primitive
 * arrays in bulk (a {@code Row} of boxed values costs an object per cadence). {@link #columns()} puts the columns in
 * their order with their snake_case names. A value that could not be measured is NaN.
 */
public final class LightCurveRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    private String id;
    private Long tic;
    private int sector;
    private int camera;
    private int ccd;
    private double ra;
    private double dec;
    private double x;
    private double y;
    private Double tmag;
    private double aperturePx;
    private Double crowding;
    private double referenceFlux;
    private double[] time;
    private float[] flux;
    private float[] sapFlux;
    private float[] fluxErr;
    private float[] background;
    private float[] centroidX;
    private float[] centroidY;
    private float[] pointingX;
    private float[] pointingY;
    private int[] quality;

    public String getId() {
        return id;
    }

    public void setId(String v) {
        this.id = v;
    }

    public Long getTic() {
        return tic;
    }

    public void setTic(Long v) {
        this.tic = v;
    }

    public int getSector() {
        return sector;
    }

    public void setSector(int v) {
        this.sector = v;
    }

    public int getCamera() {
        return camera;
    }

    public void setCamera(int v) {
        this.camera = v;
    }

    public int getCcd() {
        return ccd;
    }

    public void setCcd(int v) {
        this.ccd = v;
    }

    public double getRa() {
        return ra;
    }

    public void setRa(double v) {
        this.ra = v;
    }

    public double getDec() {
        return dec;
    }

    public void setDec(double v) {
        this.dec = v;
    }

    public double getX() {
        return x;
    }

    public void setX(double v) {
        this.x = v;
    }

    public double getY() {
        return y;
    }

    public void setY(double v) {
        this.y = v;
    }

    public Double getTmag() {
        return tmag;
    }

    public void setTmag(Double v) {
        this.tmag = v;
    }

    public double getAperturePx() {
        return aperturePx;
    }

    public void setAperturePx(double v) {
        this.aperturePx = v;
    }

    public Double getCrowding() {
        return crowding;
    }

    public void setCrowding(Double v) {
        this.crowding = v;
    }

    public double getReferenceFlux() {
        return referenceFlux;
    }

    public void setReferenceFlux(double v) {
        this.referenceFlux = v;
    }

    public double[] getTime() {
        return time;
    }

    public void setTime(double[] v) {
        this.time = v;
    }

    public float[] getFlux() {
        return flux;
    }

    public void setFlux(float[] v) {
        this.flux = v;
    }

    public float[] getSapFlux() {
        return sapFlux;
    }

    public void setSapFlux(float[] v) {
        this.sapFlux = v;
    }

    public float[] getFluxErr() {
        return fluxErr;
    }

    public void setFluxErr(float[] v) {
        this.fluxErr = v;
    }

    public float[] getBackground() {
        return background;
    }

    public void setBackground(float[] v) {
        this.background = v;
    }

    public float[] getCentroidX() {
        return centroidX;
    }

    public void setCentroidX(float[] v) {
        this.centroidX = v;
    }

    public float[] getCentroidY() {
        return centroidY;
    }

    public void setCentroidY(float[] v) {
        this.centroidY = v;
    }

    public float[] getPointingX() {
        return pointingX;
    }

    public void setPointingX(float[] v) {
        this.pointingX = v;
    }

    public float[] getPointingY() {
        return pointingY;
    }

    public void setPointingY(float[] v) {
        this.pointingY = v;
    }

    public int[] getQuality() {
        return quality;
    }

    public void setQuality(int[] v) {
        this.quality = v;
    }

    /** The columns of {@code lightcurves/}, in order, named as CONTRACT and README say. */
    public static Column[] columns() {
        return new Column[] {
            new Column("id").as("id"),
            new Column("tic").as("tic"),
            new Column("sector").as("sector"),
            new Column("camera").as("camera"),
            new Column("ccd").as("ccd"),
            new Column("ra").as("ra"),
            new Column("dec").as("dec"),
            new Column("x").as("x"),
            new Column("y").as("y"),
            new Column("tmag").as("tmag"),
            new Column("aperturePx").as("aperture_px"),
            new Column("referenceFlux").as("reference_flux"),
            new Column("crowding").as("crowding"),
            new Column("time").as("time"),
            new Column("flux").as("flux"),
            new Column("sapFlux").as("sap_flux"),
            new Column("fluxErr").as("flux_err"),
            new Column("background").as("background"),
            new Column("centroidX").as("centroid_x"),
            new Column("centroidY").as("centroid_y"),
            new Column("pointingX").as("pointing_x"),
            new Column("pointingY").as("pointing_y"),
            new Column("quality").as("quality")};
    }
}
