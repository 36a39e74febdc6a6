// The printable report's button: the browser's print dialog, which also saves as PDF.
document.getElementById("print-report").addEventListener("click", function () { window.print(); });
