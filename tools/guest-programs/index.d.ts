/** The built ELF of a guest program in programs/ (npm run build compiles them). */
export function guestProgram(name: string): string;
