// The one place vtk.js rendering profiles are loaded: registers the WebGL implementations of
// the classes the viewers use (actors, mappers, image slices). WebGPU variants are left out.
import '@kitware/vtk.js/Rendering/OpenGL/Profiles/Geometry';
import '@kitware/vtk.js/Rendering/OpenGL/Profiles/Volume';
