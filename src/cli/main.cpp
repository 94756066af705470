#include "cli/cli.hpp"

int main(int argc, char** argv)
{
    return secretscan::cli::run(argc, argv);
}
